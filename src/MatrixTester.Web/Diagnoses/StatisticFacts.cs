using System.Text.RegularExpressions;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;

namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// What the statistics page counts of one result, as (kind, value) pairs, each once: the verdict, how the name
/// delegates, IPv6, the software family and its version, the TLS versions, the certificate issuer's organisation and
/// the ids of its problems. Values come from fixed sets or are reduced to them (software families we know, digits of a
/// version, TLS names), so a server cannot write its own words onto the page; issuers, which a server's certificate
/// names, are only shown when enough servers share them (StatisticsOptions.MinimumServers). Nothing for a non-name.
/// </summary>
public static partial class StatisticFacts
{
    public const string Verdict = "verdict";
    public const string Delegation = "delegation";
    public const string IPv6 = "ipv6";
    public const string Software = "software";
    public const string Version = "version";
    public const string Tls = "tls";
    public const string Issuer = "issuer";
    public const string Finding = "finding";

    /// <summary>Software families by how they name themselves on /_matrix/federation/v1/version (lower case).</summary>
    private static readonly Dictionary<string, string> Families = new(StringComparer.OrdinalIgnoreCase)
    {
        ["synapse"] = "Synapse", ["dendrite"] = "Dendrite", ["conduit"] = "Conduit", ["conduwuit"] = "conduwuit",
        ["continuwuity"] = "Continuwuity", ["tuwunel"] = "Tuwunel", ["grapevine"] = "Grapevine", ["construct"] = "Construct",
        ["telodendria"] = "Telodendria", ["maelstrom"] = "Maelstrom",
    };

    public static IReadOnlyList<(string Kind, string Value)> Of(ReportReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (reading.Run == RunOutcome.InvalidInput)
        {
            return [];
        }
        var report = reading.Report;
        var facts = new List<(string, string)>
        {
            (Verdict, FederationStates.Token(reading.Federation.State)),
            (IPv6, reading.Federation.IPv6 switch
            {
                FamilyState.Works => "works",
                FamilyState.Broken => "broken",
                FamilyState.NoAddress => "none",
                _ => "not-checked",
            }),
        };
        if (report.Discovery is { } discovery)
        {
            facts.Add((Delegation, discovery.Endpoints.Count == 0 ? "none" : DelegationKind(discovery.Endpoints[0].Step)));
        }
        foreach (var connection in report.Connections)
        {
            if (connection.Version?.Name is { } name)
            {
                var family = Families.GetValueOrDefault(name.Trim(), "other");
                facts.Add((Software, family));
                if (family != "other" && VersionNumber().Match(connection.Version.Version ?? "") is { Success: true } number)
                {
                    facts.Add((Version, $"{family} {number.Groups[1].Value}"));
                }
            }
            if (connection.Tls is { } tls)
            {
                facts.Add((Tls, tls.Version is "TLS 1.3" or "TLS 1.2" or "TLS 1.1" or "TLS 1.0" ? tls.Version : "other"));
                if (tls.Certificates.Certificates.Count > 0)
                {
                    facts.Add((Issuer, tls.Certificates.Trusted ? Organisation(tls.Certificates.Certificates[0].Issuer) : "untrusted"));
                }
            }
        }
        facts.AddRange(report.Findings.Where(f => f.Severity != Severity.Info).Select(f => (Finding, f.Id)));
        return [.. facts.Distinct()];
    }

    private static string DelegationKind(DiscoveryStep step) => step switch
    {
        DiscoveryStep.WellKnownIpLiteral or DiscoveryStep.WellKnownExplicitPort or DiscoveryStep.WellKnownSrv
            or DiscoveryStep.WellKnownDeprecatedSrv or DiscoveryStep.WellKnownDefaultPort => "well-known",
        DiscoveryStep.Srv => "srv",
        DiscoveryStep.DeprecatedSrv => "deprecated-srv",
        _ => "direct",
    };

    /// <summary>The O= of an issuer's distinguished name ("CN=R11, O=Let's Encrypt, C=US"), cut short; "unnamed" without one.</summary>
    private static string Organisation(string issuer) =>
        OrganisationPart().Match(issuer) is { Success: true } match && match.Groups[1].Value.Trim('"', ' ') is { Length: > 0 } name
            ? name.Length > 64 ? name[..64] : name
            : "unnamed";

    [GeneratedRegex(@"^v?(\d{1,4}(?:\.\d{1,4})?)")]
    private static partial Regex VersionNumber();

    [GeneratedRegex(@"(?:^|,\s*)O=(""(?:[^""]|"""")*""|[^,]*)")]
    private static partial Regex OrganisationPart();
}
