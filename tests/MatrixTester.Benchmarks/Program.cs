using System.Globalization;
using MatrixTester.Benchmarks;

// dotnet run -c Release --project tests/MatrixTester.Benchmarks -- [--quick] [--delay 25] [--only latency|cost|pages] [--scenario text] [--verbose] [--rss 10000]
var quick = args.Contains("--quick");
var oneWayMs = args.SkipWhile(a => a != "--delay").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(25);
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var filter = args.SkipWhile(a => a != "--scenario").Skip(1).FirstOrDefault();
var verbose = args.Contains("--verbose");
var oneWay = TimeSpan.FromMilliseconds(oneWayMs);
var runs = quick ? 3 : 7;
var table = new ResultTable();
Console.Error.WriteLine($"MatrixTester benchmarks: one-way delay {oneWayMs} ms (round trip {2 * oneWayMs} ms), {runs} runs per scenario{(quick ? ", quick" : "")}");

if (only is null or "latency")
{
    foreach (var http2 in new[] { false, true })
    {
        foreach (var scenario in Scenario.All.Where(s => filter is null || s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine($"  latency: {scenario.Name} ({(http2 ? "server offers h2" : "HTTP/1.1 server")})");
            var result = await LatencyBenchmark.RunAsync(scenario, oneWay, http2, runs);
            table.AddLatency(result);
            if (verbose)
            {
                foreach (var run in result.Runs)
                {
                    Console.Error.WriteLine($"    {run}");
                }
            }
        }
    }
}

if (only is null or "cost")
{
    var duration = TimeSpan.FromSeconds(quick ? 1.5 : 5);
    await using var cost = await CostBenchmark.StartAsync(http2: false);
    ThroughputResult? sequential = null;
    foreach (var concurrency in new[] { 1, 8, 64 })
    {
        Console.Error.WriteLine($"  throughput: concurrency {concurrency}");
        var result = await cost.ThroughputAsync(concurrency, duration);
        sequential ??= result;
        table.AddThroughput(result);
    }
    Console.Error.WriteLine("  TLS handshakes only");
    var handshakes = await cost.HandshakesAsync(1, duration);
    table.AddHandshakeCount(sequential!);
    table.AddHandshakes(handshakes, sequential!.HandshakesPerDiagnosis, sequential);
    var total = args.SkipWhile(a => a != "--rss").Skip(1).Select(int.Parse).FirstOrDefault(quick ? 1_000 : 10_000);
    Console.Error.WriteLine($"  RSS over {total} diagnoses");
    table.AddRss(await cost.RssAsync(total, 8));
}

if (only is null or "pages")
{
    Console.Error.WriteLine("  pages: docs page vs static file");
    table.AddPages(await PagesBenchmark.RunAsync(TimeSpan.FromSeconds(quick ? 1.5 : 4), 8));
}
table.Print(Console.Out, oneWayMs, quick);
