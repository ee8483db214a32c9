using System.Diagnostics;
using System.Globalization;
using System.Net;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Web.Tests;

namespace MatrixTester.LoadBench;

/// <summary>
/// What a hostile "fat" server (<see cref="LabFatServer"/>: 8 addresses, every field padded to its limit with
/// <c>&lt;</c>) costs the site: bytes per stored report and per permalink page, RSS before and after 40 such
/// diagnoses at once, data directory growth, and the Atom feed and comparison page over 40 such results whose verdict
/// alternates (so the feed has an entry, and a comparison, for each).
/// </summary>
internal static class FatBench
{
    private const string Domain = "fat.test";
    private const int Burst = 40;
    private const int Waves = 20;
    private static readonly string[] History = ["hist-a.fat.test", "hist-b.fat.test"];

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        await using var lab = await FederationLab.StartAsync();
        var burstNames = Enumerable.Range(0, Burst).Select(i => $"fat-{i:D2}.{Domain}").ToArray();
        var fat = await LabFatServer.StartAsync(lab, Domain, [.. burstNames, .. History]);
        var data = Directory.CreateTempSubdirectory("matrixtester-fatbench-");
        var environment = new Dictionary<string, string>
        {
            ["Diagnosis__NameServers__0"] = lab.Dns.EndPoint.ToString(),
            ["Diagnosis__ExtraTrustedRoots"] = FederationLab.RootPemPath,
            ["Diagnosis__AllowPrivateNetworks"] = "true",
            ["Storage__DataDirectory"] = data.FullName,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Abuse__RateLimit__TokenLimit"] = "1000000",
            ["Abuse__RunAgainMinimumInterval"] = "00:00:00",
            ["Abuse__ReuseWindow"] = "00:00:00",
            // One load generator plays the 4 addresses of the original attack: fair shares would hold it to 4 running.
            ["Abuse__MaxRunningPerClient"] = "16",
            ["Abuse__MaxQueuedPerClient"] = "64",
            ["Abuse__QueueReservedForNewClients"] = "0",
            ["History__RateLimit__TokenLimit"] = "1000000",
        };
        Console.WriteLine($"MatrixTester fat-server benchmark: {LabFatServer.Addresses} addresses per name, every field padded with '<'");
        await using var site = await SiteProcess.StartAsync(environment, ct);
        using var client = new HttpClient { BaseAddress = site.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        await client.GetAsync("/api/v2/report?server_name=warmup.invalid", ct);
        await client.GetAsync("/docs", ct);
        var rssBefore = site.RssBytes;
        var dataBefore = DirectoryBytes(data);

        var clock = Stopwatch.StartNew();
        var burst = await Task.WhenAll(burstNames.Select(name => DiagnoseAsync(client, name, ct)));
        var burstSeconds = clock.Elapsed.TotalSeconds;
        var rssAfter = site.RssBytes;
        var peak = site.PeakRssBytes;
        var dataAfter = DirectoryBytes(data);
        var stored = await client.GetByteArrayAsync($"/api/v2/results/{burst[0].Id}", ct);
        var page = await client.GetByteArrayAsync($"/r/{burst[0].Id}", ct);
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        var rssLater = site.RssBytes;
        Console.WriteLine($"burst:                {Burst} diagnoses at once in {burstSeconds:0.0} s; errors {burst.Count(b => b.Id is null)}");
        if (burst.Any(b => b.Id is null))
        {
            Console.WriteLine(site.Output[^Math.Min(site.Output.Length, 4000)..]);
        }
        Console.WriteLine($"v2 report (served):   {burst.Where(b => b.Id is not null).Average(b => b.Bytes) / 1024:0.0} KiB average, {burst.Max(b => b.Bytes) / 1024.0:0.0} KiB max");
        Console.WriteLine($"stored report:        {stored.Length / 1024.0:0.0} KiB (GET /api/v2/results/{{id}})");
        Console.WriteLine($"permalink page:       {page.Length / 1024.0:0.0} KiB of HTML (/r/{{id}})");
        Console.WriteLine($"RSS:                  {Mib(rssBefore)} MiB before, {Mib(rssAfter)} MiB after ({Mib(peak)} MiB peak), {Mib(rssLater)} MiB 10 s later");
        Console.WriteLine($"data directory:       +{(dataAfter - dataBefore) / (1024.0 * 1024):0.0} MiB for {Burst} results");

        for (var wave = 0; wave < Waves; wave++)
        {
            fat.Broken = wave % 2 == 1;
            var results = await Task.WhenAll(History.Select(name => DiagnoseAsync(client, name, ct)));
            if (results.Any(r => r.Id is null))
            {
                Console.WriteLine($"history wave {wave} failed");
                return 1;
            }
        }
        var (coldMs, feedBytes, feedStatus) = await TimeAsync(client, $"/s/{History[0]}.atom", ct);
        var health = TimeAsync(client, "/healthz", ct);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => TimeAsync(client, $"/s/{History[i % 2]}.atom", ct)));
        var healthMs = (await health).Ms;
        var recent = await client.GetStringAsync($"/s/{History[1]}", ct);
        var ids = System.Text.RegularExpressions.Regex.Matches(recent, "/r/([A-Za-z0-9_-]{24})").Select(m => m.Groups[1].Value).Distinct().ToArray();
        var (compareMs, compareBytes, compareStatus) = await TimeAsync(client, $"/r/{ids[0]}?vs={ids[^1]}", ct);
        var sorted = concurrent.Select(c => c.Ms).Order().ToArray();
        Console.WriteLine($"feed, first GET:      {coldMs:0} ms, {feedBytes / 1024.0:0.0} KiB, HTTP {feedStatus} ({Waves} results per name, verdict alternating)");
        Console.WriteLine($"feed, 20 at once:     median {sorted[sorted.Length / 2]:0} ms, max {sorted[^1]:0} ms; HTTP {string.Join(",", concurrent.Select(c => c.Status).Distinct())}; /healthz meanwhile {healthMs:0} ms");
        Console.WriteLine($"compare page:         {compareMs:0} ms, {compareBytes / 1024.0:0.0} KiB, HTTP {compareStatus}");
        Console.WriteLine($"RSS after history:    {Mib(site.RssBytes)} MiB ({Mib(site.PeakRssBytes)} MiB peak)");
        try
        {
            data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
        return burst.All(b => b.Id is not null) ? 0 : 1;
    }

    private static async Task<(string? Id, long Bytes)> DiagnoseAsync(HttpClient client, string name, CancellationToken ct)
    {
        try
        {
            using var response = await client.GetAsync($"/api/v2/report?server_name={name}&fresh=1", ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return response.StatusCode == HttpStatusCode.OK && response.Headers.TryGetValues("X-Result-Id", out var id)
                ? (id.Single(), body.Length)
                : (null, body.Length);
        }
        catch (HttpRequestException e)
        {
            Console.WriteLine($"{name}: {e.Message} {e.InnerException?.Message}");
            return (null, 0);
        }
    }

    private static async Task<(double Ms, long Bytes, int Status)> TimeAsync(HttpClient client, string path, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(path, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, body.Length, (int)response.StatusCode);
    }

    private static long DirectoryBytes(DirectoryInfo directory) =>
        directory.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);
}
