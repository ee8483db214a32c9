using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>
/// The result at a glance, one line per check, judged from the reading: a line's state is the worst finding of its
/// check, or what the reading decided where findings cannot say it (not reached, not finished, nothing published).
/// Grouped by verdict: federation (discovery and each address), clients, calls and login, two-way.
/// </summary>
public sealed record Checklist(IReadOnlyList<CheckLine> Discovery, IReadOnlyList<AddressChecks> Addresses, IReadOnlyList<CheckLine> Clients,
    IReadOnlyList<CheckLine> CallsAndLogin, IReadOnlyList<CheckLine> TwoWay)
{
    /// <summary>Which findings each per-address check owns, by id prefix.</summary>
    private static readonly (CheckItem Item, string[] Prefixes, string Docs)[] AddressTable =
    [
        (CheckItem.Connection, ["net.", "tls.handshake", "tls.not_tls", "tls.protocol", "http."], "federation-tls"),
        (CheckItem.Certificate, ["tls.cert."], "tls-certificates"),
        (CheckItem.Version, ["version."], "version"),
        (CheckItem.Keys, ["keys."], "keys"),
    ];

    /// <summary>Every line, in page order, each address's checks included.</summary>
    public IEnumerable<CheckLine> All => Discovery.Concat(Addresses.SelectMany(a => a.Checks)).Concat(Clients).Concat(CallsAndLogin).Concat(TwoWay);

    public static Checklist Of(ReportReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return new Checklist(DiscoveryLines(reading), AddressLines(reading), ClientLines(reading), CallsAndLoginLines.Of(reading), TwoWayLines(reading));
    }

    private static List<CheckLine> DiscoveryLines(ReportReading reading)
    {
        var report = reading.Report;
        var lines = new List<CheckLine>
        {
            Line(CheckItem.ServerName, report.Findings, ["server_name."], report.ServerName is { } valid ? CheckWords.ValidName(valid) : null, "server-names", Anchors.Discovery),
        };
        if (report.Discovery is { } discovery)
        {
            lines.Add(Line(CheckItem.Delegation, report.Findings, ["wellknown."], CheckWords.Delegation(discovery.WellKnown), "delegation", Anchors.Discovery));
            lines.Add(Line(CheckItem.Dns, report.Findings, ["dns.", "srv.", "discovery."], CheckWords.Addresses(discovery.Endpoints.Count, discovery.ResolvedHost),
                "dns", Anchors.Discovery));
        }
        else
        {
            var stopped = reading.Run is RunOutcome.TimedOut or RunOutcome.Failed;
            lines.Add(new CheckLine(CheckItem.Discovery, stopped ? CheckState.Incomplete : CheckState.NotTested, CheckWords.NotReached(stopped), "delegation", Anchors.Discovery));
        }
        if (reading.Run == RunOutcome.TimedOut)
        {
            lines.Add(new CheckLine(CheckItem.TimeLimit, CheckState.Incomplete, CheckWords.TimeLimit(report.Duration, reading.Pending), "troubleshooting#timeouts", Anchors.Timeline));
        }
        return lines;
    }

    private static List<AddressChecks> AddressLines(ReportReading reading)
    {
        var report = reading.Report;
        var addresses = report.Connections.Select((c, i) =>
        {
            var anchor = Anchors.Connection(i);
            var connected = c.Tls is not null;
            var passText = new Dictionary<CheckItem, string>
            {
                [CheckItem.Connection] = c.Tls?.Version ?? CheckWords.Connected,
                [CheckItem.Certificate] = CheckWords.CertificatePassed,
                [CheckItem.Version] = CheckWords.Software(c.Version?.Name, c.Version?.Version),
                [CheckItem.Keys] = CheckWords.KeysPassed,
            };
            return new AddressChecks(c.Endpoint.Key, anchor, [.. AddressTable.Select(check =>
            {
                var matching = c.Findings.Where(f => check.Prefixes.Any(p => f.Id.StartsWith(p, StringComparison.Ordinal))).ToList();
                var state = Worst(matching) ?? (connected ? CheckState.Passed : CheckState.NotTested);
                var text = state switch
                {
                    CheckState.Passed => passText[check.Item],
                    CheckState.NotTested => CheckWords.NoConnection,
                    _ => FirstProblem(matching)!.Summary,
                };
                return new CheckLine(check.Item, state, text, check.Docs, anchor);
            })]);
        }).ToList();
        // Addresses discovery found that the test did not reach still get their line.
        var done = addresses.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        addresses.AddRange((report.Discovery?.Endpoints ?? []).Where(e => !done.Contains(e.Key)).Select(e => new AddressChecks(e.Key, Anchors.Timeline,
            [.. AddressTable.Select(check => new CheckLine(check.Item, CheckState.NotTested, CheckWords.AddressNotReached(reading.Run), check.Docs, Anchors.Timeline))])));
        return addresses;
    }

    private static List<CheckLine> ClientLines(ReportReading reading)
    {
        if (reading.Run == RunOutcome.InvalidInput)
        {
            return [];
        }
        var clients = reading.Clients;
        var findings = reading.Report.Findings.InPart(ReportPart.Clients).ToList();
        var clientFindings = findings.Where(f => f.Id.StartsWith("client.", StringComparison.Ordinal)).ToList();
        var supportFindings = findings.Except(clientFindings).ToList();
        var client = new CheckLine(CheckItem.ClientDiscovery, clients.State switch
        {
            ClientsState.Works => CheckState.Passed,
            ClientsState.WorksWithWarnings or ClientsState.Unusable => CheckState.Warning,
            ClientsState.Broken => CheckState.Failed,
            ClientsState.NotPublished => CheckState.Note,
            ClientsState.Incomplete => CheckState.Incomplete,
            _ => CheckState.NotTested,
        }, CheckWords.Clients(clients.State, reading.Report.Client?.HomeserverBaseUrl, FirstProblem(clientFindings)?.Summary), "client-discovery", Anchors.Client);
        var support = new CheckLine(CheckItem.Support, clients.Support switch
        {
            SupportState.Published => Worst(supportFindings) ?? CheckState.Passed,
            SupportState.NotChecked => CheckState.NotTested,
            _ => Worst(supportFindings) ?? CheckState.Note,
        }, CheckWords.Support(clients.Support, reading.Report.Client, FirstProblem(supportFindings)?.Summary), "client-discovery#support", Anchors.Client);
        return [client, support];
    }

    private static List<CheckLine> TwoWayLines(ReportReading reading) =>
        reading.TwoWay is not { } twoWay || twoWay.State == TwoWayStatus.NotConfigured
            ? []
            : [new CheckLine(CheckItem.TwoWay, twoWay.State switch
            {
                TwoWayStatus.Works => CheckState.Passed,
                TwoWayStatus.Broken => CheckState.Failed,
                TwoWayStatus.Unsupported => CheckState.Note,
                _ => CheckState.NotTested,
            }, twoWay.Summary, "two-way", Anchors.TwoWay)];

    /// <summary>A line judged by its findings: the worst decides; without any, the pass text (or a failure when there is none).</summary>
    private static CheckLine Line(CheckItem item, IReadOnlyList<Finding> all, string[] prefixes, string? passText, string docs, string anchor)
    {
        var matching = all.Where(f => prefixes.Any(p => f.Id.StartsWith(p, StringComparison.Ordinal))).ToList();
        var state = Worst(matching) ?? (passText is null ? (matching.Count > 0 ? CheckState.Note : CheckState.Failed) : CheckState.Passed);
        var text = FirstProblem(matching)?.Summary ?? passText ?? matching.FirstOrDefault()?.Summary ?? CheckWords.NotFound;
        return new CheckLine(item, state, text, docs, anchor);
    }

    internal static CheckState? Worst(IReadOnlyList<Finding> findings) =>
        findings.Any(f => f.Severity == Severity.Error) ? CheckState.Failed
        : findings.Any(f => f.Severity == Severity.Warning) ? CheckState.Warning
        : null;

    internal static Finding? FirstProblem(IReadOnlyList<Finding> findings) =>
        findings.FirstOrDefault(f => f.Severity == Severity.Error) ?? findings.FirstOrDefault(f => f.Severity == Severity.Warning);
}

/// <summary>The parts of the result page a checklist line points at (element ids).</summary>
public static class Anchors
{
    public const string Discovery = "detail-discovery";
    public const string Timeline = "timeline";
    public const string Client = "detail-client";
    public const string TwoWay = "two-way";
    public const string Calls = "detail-calls";
    public const string Login = "detail-login";

    public static string Connection(int index) => $"detail-conn-{index}";
}
