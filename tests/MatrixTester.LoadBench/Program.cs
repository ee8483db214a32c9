using System.Diagnostics;
using System.Globalization;
using System.Net;
using MatrixTester.Lab;
using MatrixTester.LoadBench;
using MatrixTester.Web.Tests;

// Load and durability benchmark (README, "Load"). Bounded: a fixed number of diagnoses and an overall time limit.
//   dotnet run -c Release --project tests/MatrixTester.LoadBench -- [diagnoses] [concurrency]
//   dotnet run -c Release --project tests/MatrixTester.LoadBench -- fat     (a hostile server that pads every field)
if (args is ["fat", ..])
{
    using var fatLimit = new CancellationTokenSource(TimeSpan.FromMinutes(15));
    return await FatBench.RunAsync(fatLimit.Token);
}
var diagnoses = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var durabilityRuns = Math.Max(20, diagnoses / 3);
using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
var ct = limit.Token;

await using var lab = await BenchLab.StartAsync(diagnoses + durabilityRuns);
var data = Path.Combine(Path.GetTempPath(), "matrixtester-loadbench-" + Guid.NewGuid().ToString("N"));
var environment = new Dictionary<string, string>
{
    ["Diagnosis__NameServers__0"] = lab.Dns.EndPoint.ToString(),
    ["Diagnosis__ExtraTrustedRoots"] = FederationLab.RootPemPath,
    ["Diagnosis__AllowPrivateNetworks"] = "true",
    ["Diagnosis__OverallDeadline"] = "00:00:30",
    ["Storage__DataDirectory"] = data,
    ["Serilog__MinimumLevel__Default"] = "Warning",
    ["Abuse__RateLimit__TokenLimit"] = "1000000",
    ["Abuse__RateLimit__TokensPerPeriod"] = "1000000",
    ["Abuse__MaxConcurrentDiagnoses"] = "64",
    ["Abuse__MaxQueuedDiagnoses"] = "10000",
    // The whole load comes from one address: it measures throughput, not the fair shares.
    ["Abuse__MaxRunningPerClient"] = "64",
    ["Abuse__MaxQueuedPerClient"] = "10000",
    ["Abuse__QueueReservedForNewClients"] = "0",
};

Console.WriteLine($"MatrixTester load benchmark: {diagnoses} diagnoses of distinct lab servers, {concurrency} at a time, plus page and docs traffic");
Console.WriteLine($"Site: dotnet {SiteProcess.WebDll()}, {Environment.ProcessorCount} CPU(s)");
var shown = new System.Collections.Concurrent.ConcurrentBag<string>();
var site = await SiteProcess.StartAsync(environment, ct);
try
{
    using var client = new HttpClient { BaseAddress = site.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
    // Warm up (JIT, SQLite schema, TLS), not measured.
    await client.GetAsync($"/api/v2/report?server_name=warmup.invalid", ct);
    await client.GetAsync("/docs", ct);

    var errors = 0;
    var notGood = 0;
    var pageLatencies = new System.Collections.Concurrent.ConcurrentBag<double>();
    var pageErrors = 0;
    using var stopPages = CancellationTokenSource.CreateLinkedTokenSource(ct);
    string[] pages = ["/", "/docs", "/docs/delegation", "/docs/tls-certificates", "/css/site.css", "/js/site.js"];
    var pageWorkers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
    {
        for (var n = w; !stopPages.IsCancellationRequested; n++)
        {
            var url = pages[n % pages.Length];
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync(url, stopPages.Token);
                await response.Content.ReadAsByteArrayAsync(stopPages.Token);
                pageLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref pageErrors);
                }
            }
            catch (OperationCanceledException) when (stopPages.IsCancellationRequested)
            {
                break;
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref pageErrors);
            }
        }
    })).ToArray();

    var clock = Stopwatch.StartNew();
    using var slots = new SemaphoreSlim(concurrency);
    await Task.WhenAll(Enumerable.Range(0, diagnoses).Select(async i =>
    {
        await slots.WaitAsync(ct);
        try
        {
            using var response = await client.GetAsync($"/api/v2/report?server_name={BenchLab.Name(i)}", ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref errors);
                return;
            }
            shown.Add(response.Headers.GetValues("X-Result-Id").Single());
            if (!body.Contains("\"federationOk\":true", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref notGood);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref errors);
        }
        finally
        {
            slots.Release();
        }
    }));
    var elapsed = clock.Elapsed;
    await stopPages.CancelAsync();
    await Task.WhenAll(pageWorkers);

    var sorted = pageLatencies.Order().ToArray();
    Console.WriteLine();
    Console.WriteLine($"diagnoses:            {diagnoses} in {elapsed.TotalSeconds:0.0} s = {diagnoses / elapsed.TotalSeconds:0.0} diagnoses/s");
    Console.WriteLine($"diagnosis errors:     {errors} (HTTP errors or failures); verdict not OK: {notGood}");
    Console.WriteLine($"page requests:        {sorted.Length}, errors {pageErrors}");
    Console.WriteLine($"page latency p50/p99: {Percentile(sorted, 0.50):0.0} ms / {Percentile(sorted, 0.99):0.0} ms (under load)");
    Console.WriteLine($"site peak RSS:        {site.PeakRssBytes / (1024.0 * 1024):0} MiB");

    // Durability: new diagnoses in flight, SIGKILL once half of them have returned their permalink, restart.
    var returned = 0;
    using var killNow = new SemaphoreSlim(0);
    var inFlight = Enumerable.Range(diagnoses, durabilityRuns).Select(async i =>
    {
        try
        {
            using var response = await client.GetAsync($"/api/v2/report?server_name={BenchLab.Name(i)}", ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                shown.Add(response.Headers.GetValues("X-Result-Id").Single());
                if (Interlocked.Increment(ref returned) == durabilityRuns / 2)
                {
                    killNow.Release();
                }
            }
        }
        catch (HttpRequestException)
        {
            // Killed mid-request: never shown to anybody.
        }
    }).ToArray();
    await killNow.WaitAsync(ct);
    site.Kill();
    var shownBeforeKill = shown.ToArray();
    await Task.WhenAll(inFlight);
    await site.DisposeAsync();

    site = await SiteProcess.StartAsync(environment, ct);
    using var after = new HttpClient { BaseAddress = site.BaseAddress };
    var missing = 0;
    foreach (var id in shownBeforeKill)
    {
        using var response = await after.GetAsync($"/r/{id}", ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            missing++;
        }
    }
    Console.WriteLine($"durability:           SIGKILL with {durabilityRuns - returned} of {durabilityRuns} diagnoses in flight; after restart {shownBeforeKill.Length - missing} of {shownBeforeKill.Length} shown permalinks open ({missing} missing)");
    return errors == 0 && pageErrors == 0 && missing == 0 ? 0 : 1;
}
finally
{
    await site.DisposeAsync();
    try
    {
        Directory.Delete(data, recursive: true);
    }
    catch (IOException)
    {
        // Left in the temp folder.
    }
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
