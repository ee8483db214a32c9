using System.Globalization;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.ReportViews;

/// <summary>One fact at a glance: what it is about, the answer, and (for software that differs by address) the parts.</summary>
public sealed record GlanceFact(string Label, string Text, IReadOnlyList<string> Items, string? Href = null);

/// <summary>
/// The facts the reference testers put at the top: the server software and version (per address where they
/// differ), the client-server API versions and notable unstable features, the support contacts themselves, and the
/// SRV records in play. Each says plainly when it was not checked rather than implying it failed.
/// </summary>
public static class Glance
{
    public static IReadOnlyList<GlanceFact> From(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ServerName is null)
        {
            return [];
        }
        return [Software(report), Srv(report), ClientApi(report), Support(report)];
    }

    private static GlanceFact Software(DiagnosisReport report)
    {
        const string label = "Server software";
        var answered = report.Connections.Where(c => c.Version?.Name is not null).ToList();
        if (answered.Count == 0)
        {
            return new(label, report.Connections.Count == 0 ? "not checked: no address was tested" : "unknown: no address answered /_matrix/federation/v1/version", []);
        }
        var groups = answered.GroupBy(c => $"{c.Version!.Name} {c.Version.Version}".Trim(), StringComparer.Ordinal).ToList();
        var silent = report.Connections.Count - answered.Count;
        if (groups.Count == 1 && silent == 0)
        {
            return new(label, groups[0].Key, [], "#detail-conn-0");
        }
        var items = groups.Select(g => $"{g.Key} on {string.Join(", ", g.Select(c => c.Endpoint.Key))}").ToList();
        if (silent > 0)
        {
            items.Add($"not known on {DetailWords.Count(silent, "other address", "other addresses")}");
        }
        return new(label, groups.Count == 1 ? $"{groups[0].Key} (where it answered)" : "differs by address", items);
    }

    private static GlanceFact Srv(DiagnosisReport report)
    {
        const string label = "SRV records";
        if (report.Discovery is not { } discovery)
        {
            return new(label, "not checked", []);
        }
        if (discovery.Srv is not { } srv)
        {
            return new(label, discovery.Endpoints.Count > 0
                ? $"not used: {discovery.Endpoints[0].Step.Describe()}"
                : "not looked up", [], "#detail-discovery");
        }
        var table = SrvTable.From(srv);
        if (table.Rows.Count == 0)
        {
            return new(label, table.WhyNone ?? "none", [], "#detail-discovery");
        }
        return new(label, table.RecordName, [.. table.Rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Target}:{r.Port} (priority {r.Priority}, weight {r.Weight}; {r.Use})"))], "#detail-discovery");
    }

    private static GlanceFact ClientApi(DiagnosisReport report)
    {
        const string label = "Client-server API";
        if (report.Client is not { } client)
        {
            return new(label, "not checked", []);
        }
        if (client.ClientVersions.Count == 0 && client.Findings.Any(f => f.Id == ClientFindings.Timeout.Id))
        {
            return new(label, "not checked: the client files did not answer within the time limit", [], "#detail-client");
        }
        if (client.ClientVersions.Count == 0)
        {
            return new(label, client.HomeserverBaseUrl is { } url ? $"no versions read from {url}" : "not found: no usable /.well-known/matrix/client", [], "#detail-client");
        }
        var versions = $"up to {DetailWords.LatestVersion(client.ClientVersions)} ({DetailWords.Count(client.ClientVersions.Count, "version", "versions")} listed) at {client.HomeserverBaseUrl}";
        var features = client.UnstableFeatures ?? [];
        var notable = DetailWords.NotableFeatures(features);
        var others = features.Count(f => !DetailWords.IsNotable(f));
        var items = notable.Count == 0 && others == 0 ? [] : new List<string>(notable.Select(n => "unstable feature: " + n));
        if (others > 0)
        {
            items.Add(DetailWords.Count(others, "other unstable feature", "other unstable features") + " turned on");
        }
        return new(label, versions, items, "#detail-client");
    }

    private static GlanceFact Support(DiagnosisReport report)
    {
        const string label = "Support contacts";
        var client = report.Client;
        var asked = client?.Requests.Any(r => r.Url.EndsWith("/.well-known/matrix/support", StringComparison.Ordinal)) == true;
        if (client is null || !asked)
        {
            return new(label, "not checked: the tester did not get as far as the support file", []);
        }
        var items = client.SupportContacts.Select(Contact).ToList();
        if (client.SupportPage is { } page)
        {
            items.Add($"Support page: {page}");
        }
        if (items.Count > 0)
        {
            return new(label, DetailWords.Count(client.SupportContacts.Count, "contact", "contacts") + (client.SupportPage is null ? "" : " and a support page"), items, "#detail-client");
        }
        var notFound = client.Findings.Any(f => f.Id == ClientFindings.SupportNotFound.Id);
        return new(label, notFound ? "none published (the support file is optional)" : "the support file could not be read", [], "#detail-client");
    }

    private static string Contact(SupportContact contact)
    {
        var ways = new[] { contact.MatrixId, contact.EmailAddress }.OfType<string>().ToList();
        return $"{DetailWords.Role(contact.Role)}: {(ways.Count > 0 ? string.Join(", ", ways) : "no way to reach them given")}";
    }
}
