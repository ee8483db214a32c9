using System.Collections.Concurrent;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>Collects stage results as they finish, so a report can be built at any moment (complete or partial).</summary>
internal sealed class ReportBuilder(DiagnosisContext context)
{
    private readonly ConcurrentQueue<Finding> _findings = new();
    private readonly ConcurrentDictionary<string, ConnectionReport> _connections = new();

    public DiscoveryResult? Discovery { get; set; }

    public bool TimedOut { get; set; }

    public ClientDiscoveryReport? Client { get; set; }

    public TwoWay.TwoWayReport? TwoWay { get; set; }

    public MatrixRtcReport? MatrixRtc { get; set; }

    public global::MatrixTester.Diagnostics.Client.AuthReport? Auth { get; set; }

    /// <summary>Connection reports finished so far (any order).</summary>
    public IReadOnlyList<ConnectionReport> Connections => [.. _connections.Values];

    public void Add(IEnumerable<Finding> findings)
    {
        foreach (var f in findings)
        {
            _findings.Enqueue(f);
        }
    }

    public void AddConnection(ConnectionReport report) => _connections[report.Endpoint.Key] = report;

    public DiagnosisReport Build()
    {
        var findings = _findings.Concat(Discovery?.Findings ?? []).ToList();
        var connections = SrvFallback.Apply(Discovery?.Endpoints.Select(e => _connections.GetValueOrDefault(e.Key)).OfType<ConnectionReport>().ToList() ?? []);
        findings.AddRange(connections.SelectMany(c => c.Findings));
        var client = Client;
        findings.AddRange(client?.Findings ?? []);
        findings.AddRange(MatrixRtc?.Findings ?? []);
        findings.AddRange(Auth?.Findings ?? []);
        if (TimedOut)
        {
            var missing = Discovery is null
                ? "Server discovery did not finish"
                : $"{Discovery.Endpoints.Count - connections.Count} of {Discovery.Endpoints.Count} addresses were not fully checked";
            findings.Add(DiscoveryFindings.TimedOut.Create($"The diagnosis stopped after {context.Options.OverallDeadline.TotalSeconds:0} s", $"{missing}. The results below are partial.", context.ServerName.Text));
        }
        var ordered = FindingList.Bounded([.. findings.DistinctBy(f => (f.Id, f.Subject, f.Summary))]).OrderByDescending(f => f.Severity).ToArray();
        var report = new DiagnosisReport
        {
            Input = context.ServerName.Text,
            ServerName = context.ServerName.Text,
            StartedAt = context.StartedAt,
            Duration = context.Elapsed,
            TimedOut = TimedOut,
            Discovery = Discovery,
            Connections = connections,
            Client = client,
            TwoWay = TwoWay,
            MatrixRtc = MatrixRtc,
            Auth = Auth,
            Findings = ordered,
            Verdict = VerdictRules.Decide(Discovery, connections, ordered, TimedOut),
        };
        return ReportBudget.Fit(ReportTrimming.WithoutBodies(report), context.Options.MaxReportBytes);
    }

    public static DiagnosisReport Invalid(string input, DateTimeOffset startedAt, TimeSpan duration, Finding finding) => new()
    {
        Input = input,
        StartedAt = startedAt,
        Duration = duration,
        Findings = [finding],
        Verdict = new Verdict(VerdictStatus.Broken, false, null, null, finding.Summary),
    };
}
