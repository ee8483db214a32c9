using System.Globalization;
using System.Runtime.InteropServices;

namespace MatrixTester.Benchmarks;

/// <summary>Every figure as one plain-text table: benchmark, measured, physical minimum, ratio, notes.</summary>
internal sealed class ResultTable
{
    private readonly List<string[]> _rows = [];

    public void AddLatency(LatencyResult r)
    {
        var protocol = r.Http2 ? "server offers h2" : "http/1.1 server";
        var m = r.Median;
        var best = r.Runs.Min(x => r.VerdictMinimumMs is null ? x.TotalMs : x.OtherResultsMs ?? x.TotalMs);
        var notes = $"{r.Scenario.MinimumRoundTrips} RTT; best {Ms(best)}; dns q {m.DnsQueries}, tcp conns {m.Connections}, verdict {m.Verdict}";
        if (r.Scenario.WorstCase)
        {
            var streamed = LatencyResult.MedianOf(r.Runs.Select(x => x.LastFindingMs));
            _rows.Add([$"{r.Scenario.Name} [{protocol}]: verdict", Ms(m.TotalMs), Ms(r.VerdictMinimumMs!.Value), Ratio(m.TotalMs, r.VerdictMinimumMs.Value),
                $"minimum = {r.Scenario.Verdict!.Value.Why}; last other event at {Ms(streamed)}; best {Ms(r.Runs.Min(x => x.TotalMs))}; tcp conns via proxy {m.Connections}, verdict {m.Verdict}"]);
        }
        else if (r.VerdictMinimumMs is { } verdictMinimum)
        {
            var others = LatencyResult.MedianOf(r.Runs.Select(x => x.OtherResultsMs ?? x.TotalMs));
            var client = LatencyResult.MedianOf(r.Runs.Select(x => x.ClientMs));
            _rows.Add([$"{r.Scenario.Name} [{protocol}]: other results", Ms(others), Ms(r.MinimumMs), Ratio(others, r.MinimumMs),
                $"{notes}; healthy IPv4 federation result; client discovery at {Ms(client)}"]);
            _rows.Add([$"{r.Scenario.Name} [{protocol}]: final verdict", Ms(m.TotalMs), Ms(verdictMinimum), Ratio(m.TotalMs, verdictMinimum),
                r.Scenario.Verdict!.Value.Why]);
        }
        else
        {
            _rows.Add([$"{r.Scenario.Name} [{protocol}]", Ms(m.TotalMs), Ms(r.MinimumMs), Ratio(m.TotalMs, r.MinimumMs), notes]);
        }
        if (r.Scenario == Scenario.All[0])
        {
            var first = LatencyResult.MedianOf(r.Runs.Select(x => x.FirstEventMs));
            var dns = LatencyResult.MedianOf(r.Runs.Select(x => x.FirstDnsMs));
            _rows.Add([$"first streamed event [{protocol}]", Ms(first), "", "", $"target: within 1 DNS RTT ({Ms(r.RoundTripMs)}); first DNS answer at {Ms(dns)}"]);
        }
    }

    public void AddThroughput(ThroughputResult r) =>
        _rows.Add([$"throughput, concurrency {r.Concurrency}", $"{r.PerSecond:0.0}/s", "", "",
            $"{r.CpuMsPerDiagnosis:0.0} CPU ms and {r.BytesPerDiagnosis / 1024:0} KiB allocated per diagnosis ({r.Diagnoses} in {r.Seconds:0.0} s)"]);

    /// <summary>TLS handshakes the lab's hosts accepted per healthy diagnosis (server, client and support well-known, federation, client API).</summary>
    public void AddHandshakeCount(ThroughputResult diagnosis) =>
        _rows.Add(["TLS handshakes per diagnosis", diagnosis.HandshakesPerDiagnosis.ToString("0.00", CultureInfo.InvariantCulture), "3", "",
            $"counted by the lab's TLS hosts over {diagnosis.Diagnoses} sequential healthy diagnoses; minimum: the server name's host, the federation endpoint, the client API host"]);

    public void AddHandshakes(ThroughputResult handshakes, double perDiagnosis, ThroughputResult diagnosis)
    {
        var share = handshakes.CpuMsPerDiagnosis * perDiagnosis / diagnosis.CpuMsPerDiagnosis;
        _rows.Add(["TLS handshake (TCP+TLS only)", $"{handshakes.CpuMsPerDiagnosis:0.00} CPU ms", "", "",
            $"{handshakes.PerSecond:0}/s sequential; {perDiagnosis:0.##} per diagnosis = {share:P0} of a diagnosis's CPU (both ends in-process)"]);
    }

    public void AddRss(IReadOnlyList<(int Done, long RssBytes, long HeapBytes)> points)
    {
        const double MiB = 1024 * 1024;
        var text = string.Join(" ", points.Select(p => $"{p.Done}:{p.RssBytes / MiB:0}"));
        var heap = string.Join(" ", points.Select(p => $"{p.HeapBytes / MiB:0.0}"));
        var growth = points.Count >= 3 ? (double)points[^1].RssBytes / points[1].RssBytes - 1 : 0;
        _rows.Add([$"RSS over {points[^1].Done} diagnoses", $"{points[^1].RssBytes / MiB:0} MiB", "", "", $"{growth:+0%;-0%} after warm-up; done:RSS MiB {text}"]);
        _rows.Add(["managed heap after full GC", $"{points[^1].HeapBytes / MiB:0.0} MiB", "", "", $"same points: {heap}"]);
    }

    public void AddLine(string name, string notes) => _rows.Add([name, "", "", "", notes]);

    /// <summary>The docs page against the static file: the ratio is docs/static (target at least 0.8).</summary>
    public void AddPages(IReadOnlyList<PagesResult> results)
    {
        var (docs, file) = (results[0], results[1]);
        foreach (var r in results)
        {
            _rows.Add([$"pages: {r.Path}", $"{r.PerSecond:0}/s", "", r == docs ? (docs.PerSecond / file.PerSecond).ToString("0.00", CultureInfo.InvariantCulture) : "",
                $"{r.Bytes / 1024.0:0.0} KiB; concurrency 8, in-memory test server{(r == docs ? "; ratio = docs/static, target >= 0.8" : "")}"]);
        }
    }

    public void Print(TextWriter output, double oneWayMs, bool quick)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        output.WriteLine($"machine: {Environment.ProcessorCount} cores, {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {RuntimeInformation.FrameworkDescription}; load average {load} at the end; one-way delay {oneWayMs} ms{(quick ? "; --quick" : "")}");
        string[] header = ["benchmark", "measured", "minimum", "ratio", "notes"];
        var widths = Enumerable.Range(0, 4).Select(i => _rows.Append(header).Max(r => r[i].Length)).ToArray();
        void Line(string[] cells) => output.WriteLine(string.Join(" | ", cells.Take(4).Select((c, i) => i is 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " | " + cells[4]);
        Line(header);
        output.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))) + "-|------");
        foreach (var row in _rows)
        {
            Line(row);
        }
    }

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string Ratio(double measured, double minimum) => (measured / minimum).ToString("0.00", CultureInfo.InvariantCulture);
}
