using System.Diagnostics;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Delay;

namespace MatrixTester.Benchmarks;

/// <summary>What one diagnosis looked like from the caller's side: when things streamed, and what the lab saw.</summary>
internal sealed record LatencyRun(double TotalMs, double FirstEventMs, double FirstDnsMs, double LastConnectionMs, double? OtherResultsMs, double ClientMs,
    VerdictStatus Verdict, int DnsQueries, int Connections, double LastFindingMs);

internal sealed record LatencyResult(Scenario Scenario, bool Http2, double RoundTripMs, IReadOnlyList<LatencyRun> Runs)
{
    /// <summary>The physical minimum for every result (for the dead-address scenario: every result but the dead one).</summary>
    public double MinimumMs => Scenario.MinimumRoundTrips * RoundTripMs;

    /// <summary>Where a timeout dominates (a dead address, the worst cases): the least time the verdict can take.</summary>
    public double? VerdictMinimumMs => Scenario.Verdict?.Minimum(RoundTripMs);

    public LatencyRun Median => Runs.OrderBy(r => r.TotalMs).ElementAt(Runs.Count / 2);

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}

/// <summary>Runs each scenario in a fresh lab with delayed DNS and delayed TCP, several times, and keeps the timings.</summary>
internal static class LatencyBenchmark
{
    public static async Task<LatencyResult> RunAsync(Scenario scenario, TimeSpan oneWay, bool http2, int runs)
    {
        await using var lab = await FederationLab.StartAsync();
        lab.Dns.ResponseDelay = 2 * oneWay;
        await scenario.BuildAsync(lab, oneWay, http2);
        var results = new List<LatencyRun>();
        for (var i = 0; i <= runs; i++)
        {
            lab.Dns.ClearQueryLog();
            var run = await RunOnceAsync(lab, scenario);
            if (i > 0)
            {
                results.Add(run); // the first run warms up JIT and the lab hosts
            }
        }
        return new LatencyResult(scenario, http2, 2 * oneWay.TotalMilliseconds, results);
    }

    private static async Task<LatencyRun> RunOnceAsync(FederationLab lab, Scenario scenario)
    {
        var engine = lab.Engine(o => scenario.Configure?.Invoke(o));
        var proxiesBefore = DelayProxy.TotalConnections;
        var clock = Stopwatch.StartNew();
        double? first = null, firstDns = null, lastConnection = null, healthy = null, client = null, lastFinding = null;
        DiagnosisReport? report = null;
        await foreach (var e in engine.RunAsync(Scenario.ServerName, CancellationToken.None))
        {
            var at = clock.Elapsed.TotalMilliseconds;
            first ??= at;
            if (e is not CompletedEvent)
            {
                lastFinding = at;
            }
            switch (e)
            {
                case DnsQueryEvent:
                    firstDns ??= at;
                    break;
                case ConnectionEvent c:
                    lastConnection = at;
                    if (c.Connection.Passed)
                    {
                        healthy = at;
                    }
                    break;
                case ClientDiscoveryEvent:
                    client = at;
                    break;
                case CompletedEvent done:
                    report = done.Report;
                    break;
            }
        }
        var total = clock.Elapsed.TotalMilliseconds;
        return new LatencyRun(total, first ?? total, firstDns ?? total, lastConnection ?? total, healthy, client ?? total, report!.Verdict.Status,
            lab.Dns.QueryLog.Count, DelayProxy.TotalConnections - proxiesBefore, lastFinding ?? total);
    }
}
