using System.Globalization;
using System.Net;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab;
using MatrixTester.Web.Federation;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>
/// A flood of fetches of our keys while probes are active: from strangers it writes nothing per fetch (only a
/// per-second count, in bulk) and never reaches a probe's log; from a target's own address it is capped per source.
/// </summary>
public sealed class KeyFloodTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private const int Probes = 16;
    private const int Strangers = 4;
    private const int FetchesEach = 100;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_flood_from_strangers_writes_nothing_per_fetch_reaches_no_probe_and_healthz_keeps_answering()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory),
            ("Federation:RateLimit:TokenLimit", "100000"), ("Federation:RateLimit:TokensPerPeriod", "100000"));
        using var plain = KestrelSite.Start(site);
        var identity = site.Services.GetRequiredService<FederationIdentity>();
        var probes = new List<IProbeKey>();
        for (var i = 0; i < Probes; i++)
        {
            probes.Add(await identity.StartProbeAsync($"t{i}.example.test", [FederationLab.NewAddress()], Ct));
        }
        var database = site.Services.GetRequiredService<StoreDatabase>();
        var writesBefore = database.Writes;
        var time = TimeProvider.System;
        var started = time.GetTimestamp();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var health = SampleHealthAsync(plain, stop.Token);
        await Task.WhenAll(Enumerable.Range(0, Strangers).Select(async _ =>
        {
            using var stranger = ClientFrom.Create(FederationLab.NewAddress(), plain.BaseAddress!, "Flood/1.0");
            for (var i = 0; i < FetchesEach; i++)
            {
                (await stranger.GetAsync("/_matrix/key/v2/server", Ct)).EnsureSuccessStatusCode();
            }
        }));
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        await stop.CancelAsync();
        var latencies = await health;

        // Before: one write per active probe per fetch (16 × 400 = 6,400). Now: the tally's flushes, at most one a
        // second, plus the minute's cleanup if it fell in the flood.
        var writes = database.Writes - writesBefore;
        Assert.True(writes <= (long)Math.Ceiling(seconds) + 2, $"{writes} writes in {seconds:0.0} s");
        foreach (var probe in probes)
        {
            Assert.Empty(await probe.InboundAsync(Ct));
            Assert.Equal(Strangers * FetchesEach, await probe.UnattributedAsync(Ct));
        }
        var sorted = latencies.Order().ToArray();
        Assert.NotEmpty(sorted);
        var median = sorted[sorted.Length / 2];
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Strangers * FetchesEach} fetches with {Probes} probes in {seconds:0.00} s: {writes} store writes; /healthz {sorted.Length} samples, median {median:0} ms, max {sorted[^1]:0} ms"));
        // Before, with a write per probe per fetch, /healthz took 0.6-1.2 s during such a flood; now it waits on nothing the flood does.
        Assert.True(median < 300, $"/healthz median {median:0} ms during the flood");
    }

    [Fact]
    public async Task A_flood_from_a_targets_own_address_fills_only_that_sources_small_share_of_the_log()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory),
            ("Federation:RateLimit:TokenLimit", "100000"), ("Federation:RateLimit:TokensPerPeriod", "100000"), ("Federation:MaxInboundPerProbe", "8"));
        using var plain = KestrelSite.Start(site);
        var (noisy, quiet) = (FederationLab.NewAddress(), FederationLab.NewAddress());
        var identity = site.Services.GetRequiredService<FederationIdentity>();
        var flooded = await identity.StartProbeAsync("noisy.example.test", [noisy], Ct);
        var other = await identity.StartProbeAsync("quiet.example.test", [quiet], Ct);
        var database = site.Services.GetRequiredService<StoreDatabase>();
        var writesBefore = database.Writes;

        using (var fromNoisy = ClientFrom.Create(noisy, plain.BaseAddress!))
        {
            for (var i = 0; i < 200; i++)
            {
                (await fromNoisy.GetAsync("/_matrix/key/v2/server", Ct)).EnsureSuccessStatusCode();
            }
        }
        using (var fromQuiet = ClientFrom.Create(quiet, plain.BaseAddress!))
        {
            (await fromQuiet.GetAsync("/_matrix/key/v2/server", Ct)).EnsureSuccessStatusCode();
        }

        Assert.Equal(8, (await flooded.InboundAsync(Ct)).Count);
        Assert.Equal(quiet.ToString(), Assert.Single(await other.InboundAsync(Ct)).RemoteAddress);
        // 8 kept, then a refused insert about every 5 s per source, the quiet one, and the tally's flushes.
        var writes = database.Writes - writesBefore;
        Assert.True(writes < 40, $"{writes} writes for 201 fetches");
    }

    private static async Task<List<double>> SampleHealthAsync(HttpClient client, CancellationToken stop)
    {
        var latencies = new List<double>();
        var time = TimeProvider.System;
        while (!stop.IsCancellationRequested)
        {
            var start = time.GetTimestamp();
            try
            {
                using var response = await client.GetAsync("/healthz", stop);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            latencies.Add(time.GetElapsedTime(start).TotalMilliseconds);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return latencies;
    }
}
