using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// The ways a report sheds evidence to fit its ceiling, in the order <see cref="ReportBudget"/> applies them: the
/// bulkiest and least needed first. None touches the verdict, the top-level findings, the addresses or whether each
/// address passed. Each step has a plain name; the report lists the names of the steps it needed.
/// </summary>
internal static class ReportTrimming
{
    public const string FindingsPart = "the least severe findings";

    private const int KeptSrvRecords = 16;
    private const int KeptVerifyKeys = 4;

    public static readonly IReadOnlyList<(string Part, Func<DiagnosisReport, DiagnosisReport> Trim)> Steps =
    [
        ("the header fields and body starts of each request", r => r.MapRequests(list => [.. list.Select(e => e with { Headers = new Dictionary<string, string>(), BodyStart = null })])),
        ("the key responses as received", r => r.MapKeys(k => k with { RawBody = null })),
        ("the list of requests made", r => r.MapRequests(_ => [])),
        ("the DNS answers", WithoutDnsAnswers),
        ("the old signing keys and the signature lists", r => r.MapKeys(k => k with { OldVerifyKeys = new Dictionary<string, Keys.OldVerifyKey>(), Signatures = new Dictionary<string, IReadOnlyList<string>>(), VerifyKeys = k.VerifyKeys.Take(KeptVerifyKeys).ToDictionary() })),
        ("every certificate after the first of each chain", r => r with { Connections = [.. r.Connections.Select(c => c.Tls is { } tls ? c with { Tls = tls with { Certificates = tls.Certificates with { Certificates = [.. tls.Certificates.Certificates.Take(1)] } } } : c)] }),
        ("the list of fetches of our key seen by the two-way check", r => r with { TwoWay = r.TwoWay is { } t ? t with { Inbound = [] } : null }),
        ("the technical details of discovery, of each address, of client discovery and of the calls and login checks", WithoutDetails),
        ("the findings repeated per address", WithoutNestedFindings),
    ];

    /// <summary>Every request list in the report (well-known attempts, each address, client discovery), mapped.</summary>
    public static DiagnosisReport MapRequests(this DiagnosisReport r, Func<IReadOnlyList<HttpExchange>, IReadOnlyList<HttpExchange>> map) => r with
    {
        Discovery = r.Discovery is { } d ? d with { WellKnown = d.WellKnown with { Attempts = [.. d.WellKnown.Attempts.Select(a => a with { Requests = map(a.Requests) })] } } : null,
        Connections = [.. r.Connections.Select(c => c with { Requests = map(c.Requests) })],
        Client = r.Client is { } client ? client with { Requests = map(client.Requests) } : null,
        MatrixRtc = r.MatrixRtc is { } rtc ? rtc with { Requests = map(rtc.Requests) } : null,
        Auth = r.Auth is { } auth ? auth with { Requests = map(auth.Requests) } : null,
    };

    /// <summary>The bodies received are kept in memory only while the checks read them; a report has their capped text.</summary>
    public static DiagnosisReport WithoutBodies(DiagnosisReport report) => report.MapRequests(WithoutBodies);

    public static IReadOnlyList<HttpExchange> WithoutBodies(IReadOnlyList<HttpExchange> list) =>
        list.Any(e => e.Body.Length > 0) ? [.. list.Select(e => e with { Body = [] })] : list;

    public static ConnectionReport WithoutBodies(ConnectionReport connection) => connection with { Requests = WithoutBodies(connection.Requests) };

    public static Discovery.WellKnownResult WithoutBodies(Discovery.WellKnownResult wellKnown) =>
        wellKnown with { Attempts = [.. wellKnown.Attempts.Select(a => a with { Requests = WithoutBodies(a.Requests) })] };

    public static Discovery.DiscoveryResult WithoutBodies(Discovery.DiscoveryResult discovery) => discovery with { WellKnown = WithoutBodies(discovery.WellKnown) };

    private static DiagnosisReport MapKeys(this DiagnosisReport r, Func<Keys.ServerKeyResult, Keys.ServerKeyResult> map) =>
        r with { Connections = [.. r.Connections.Select(c => c.Keys is { } keys ? c with { Keys = map(keys) } : c)] };

    private static DiagnosisReport WithoutDnsAnswers(DiagnosisReport r) => r.Discovery is not { } d ? r : r with
    {
        Discovery = d with
        {
            AddressLookups = [],
            Srv = d.Srv is { } srv ? srv with
            {
                MatrixFed = srv.MatrixFed with { Records = [.. srv.MatrixFed.Records.Take(KeptSrvRecords)] },
                Deprecated = srv.Deprecated is { } old ? old with { Records = [.. old.Records.Take(KeptSrvRecords)] } : null,
                Targets = [.. srv.Targets.Take(KeptSrvRecords).Select(t => t with { AddressesV4 = null, AddressesV6 = null })],
            } : null,
        },
    };

    /// <summary>What stays of each part: the well-known outcome, the endpoints, each address's findings (so it still passes or fails).</summary>
    private static DiagnosisReport WithoutDetails(DiagnosisReport r) => r with
    {
        Discovery = r.Discovery is { } d ? d with { WellKnown = d.WellKnown with { Attempts = [] }, Srv = null, AddressLookups = [] } : null,
        Connections = [.. r.Connections.Select(c => c with { Tls = null, Version = null, Keys = null, Requests = [] })],
        Client = null,
        TwoWay = null,
        // The calls and login verdicts stay, with their one-line summaries; what they were decided from goes.
        MatrixRtc = r.MatrixRtc is { } rtc ? rtc with { Transports = [], TransportsEndpoints = [], Services = [], Prerequisites = null, Requests = [] } : null,
        Auth = r.Auth is { } auth ? auth with { Checks = [], Requests = [] } : null,
    };

    /// <summary>The top-level list keeps every finding; each address keeps its first error, which is what decides whether it passed.</summary>
    private static DiagnosisReport WithoutNestedFindings(DiagnosisReport r) => r with
    {
        Discovery = r.Discovery is { } d ? d with { Findings = [], WellKnown = d.WellKnown with { Findings = [] } } : null,
        Connections = [.. r.Connections.Select(c => c with { Findings = [.. c.Findings.Where(f => f.Severity == Severity.Error).Take(1)] })],
    };
}
