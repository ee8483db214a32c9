using System.Text;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// The key facts of the Markdown export, folded in a <c>&lt;details&gt;</c> block (a blank line after its summary, so
/// both Element and GitHub read the Markdown inside): the delegation path, the addresses, each distinct certificate
/// with its names and expiry, the software, the signing keys and where clients are sent. Lists are cut short.
/// </summary>
internal static class MarkdownFacts
{
    private const int MaxItems = 4;

    public static void Append(StringBuilder md, ReportView view)
    {
        var report = view.Report;
        if (report.ServerName is null)
        {
            return;
        }
        var facts = new List<(string Label, string Value)>();
        if (report.Discovery is { } discovery)
        {
            facts.Add((ExportWords.Delegation, CheckWords.Delegation(discovery.WellKnown)));
            if (discovery.Endpoints.Count > 0)
            {
                facts.Add((ExportWords.Discovery, discovery.Endpoints[0].Step.Words()));
            }
            facts.Add((ExportWords.Addresses, discovery.Endpoints.Count == 0
                ? ExportWords.NoAddresses
                : Cut(discovery.Endpoints.Select(e => e.SrvTarget is { } target ? $"{e.Key} (SRV {target})" : e.Key))));
        }
        var leaves = report.Connections.Where(c => c.Tls is { Certificates.Certificates.Count: > 0 })
            .GroupBy(c => c.Tls!.Certificates.Certificates[0].Sha256Hex, StringComparer.Ordinal).Take(MaxItems);
        foreach (var group in leaves)
        {
            var result = group.First().Tls!.Certificates;
            var leaf = result.Certificates[0];
            var names = Cut(leaf.DnsNames.Concat(leaf.IpAddresses));
            var expiry = leaf.NotAfter < view.CreatedAt ? ExportWords.Expired(leaf.NotAfter) : ExportWords.Expires(leaf.NotAfter);
            var issuer = result.Trusted ? ExportWords.IssuedBy(leaf.IssuerCommonName.Length > 0 ? leaf.IssuerCommonName : leaf.Issuer) : ExportWords.Untrusted;
            facts.Add(($"{ExportWords.Certificate} ({Cut(group.Select(c => c.Endpoint.Key))})", $"{names}; {expiry}; {issuer}"));
        }
        var software = report.Connections.Where(c => c.Version?.Name is not null)
            .Select(c => CheckWords.Software(c.Version!.Name, c.Version.Version)).Distinct(StringComparer.Ordinal).ToList();
        if (software.Count > 0)
        {
            facts.Add((ExportWords.Software, Cut(software)));
        }
        var keys = report.Connections.Where(c => c.Keys is not null).SelectMany(c => c.Keys!.VerifyKeys.Values.Select(k =>
            $"{k.KeyId} ({ExportWords.KeyState(k.Ed25519?.MatchingSignature == true)}, {ExportWords.ValidUntil(c.Keys.ValidUntil)})"))
            .Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count > 0)
        {
            facts.Add((ExportWords.Keys, Cut(keys)));
        }
        if (report.Client?.HomeserverBaseUrl is { } baseUrl)
        {
            facts.Add((ExportWords.ClientBase, baseUrl));
        }
        md.Append("<details><summary>").Append(ExportWords.KeyFacts).Append("</summary>\n\n");
        foreach (var (label, value) in facts)
        {
            md.Append("- ").Append(MarkdownText.Escape(label, 160)).Append(": ").Append(MarkdownText.Escape(value, 260)).Append('\n');
        }
        md.Append("\n</details>\n\n");
    }

    private static string Cut(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= MaxItems ? string.Join(", ", list) : $"{string.Join(", ", list.Take(MaxItems))} {ExportWords.MoreItems(list.Count - MaxItems)}";
    }
}
