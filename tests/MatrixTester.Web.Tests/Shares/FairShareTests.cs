using System.Net;
using System.Text.Json;
using MatrixTester.Lab;
using MatrixTester.Web.Diagnoses;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Shares;

/// <summary>
/// The fair shares on real sockets, each client a loopback address of its own: one client flooding names whose
/// server never answers, or holding unread streams, gets 429 beyond its share while another visitor is served.
/// </summary>
public sealed class FairShareTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The documented defaults for the shares (SiteFactory relaxes them for other tests); runs of a hanging name last
    // until the test releases it, never until a timeout.
    private SiteFactory Site(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Abuse:MaxRunningPerClient"] = "4",
            ["Abuse:MaxQueuedPerClient"] = "8",
            ["Abuse:QueueReservedForNewClients"] = "16",
            ["Diagnosis:RequestTimeout"] = "00:02:00",
            ["Diagnosis:OverallDeadline"] = "00:03:00",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return new SiteFactory(fixture.Lab, fixture.DataDirectory, all);
    }

    [Fact]
    public async Task One_client_flooding_slow_names_gets_429_beyond_its_share_while_another_visitor_is_served()
    {
        await using var site = Site();
        using var local = KestrelSite.Start(site);
        var baseAddress = local.BaseAddress!;
        var hanging = await HangingNames.StartAsync(fixture.Lab, 100);
        var attackerAddress = FederationLab.NewAddress();
        using var attacker = LoopbackClient.From(attackerAddress, baseAddress);
        using var visitor = LoopbackClient.From(FederationLab.NewAddress(), baseAddress);
        var slots = site.Services.GetRequiredService<DiagnosisSlots>();
        try
        {
            var flood = hanging.Names.Select(name => attacker.GetAsync($"/api/v2/report?server_name={name}", Ct)).ToList();
            // The refusals come back at once; the twelve admitted requests wait for their never-ending diagnoses.
            var refused = new List<HttpResponseMessage>();
            while (refused.Count < 88)
            {
                var done = await Task.WhenAny(flood);
                flood.Remove(done);
                refused.Add(await done);
            }
            Assert.All(refused, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
            Assert.All(refused, r => Assert.Equal("15", r.Headers.GetValues("Retry-After").Single()));
            Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
            using (var problem = JsonDocument.Parse(await refused[0].Content.ReadAsStringAsync(Ct)))
            {
                Assert.Equal("Your address has enough tests running", problem.RootElement.GetProperty("title").GetString());
                Assert.Equal(15, problem.RootElement.GetProperty("retryAfter").GetInt32());
            }
            Assert.Equal((4, 8), slots.HeldBy(attackerAddress.ToString()));

            using var served = await visitor.GetAsync($"/api/v2/report?server_name={SiteFixture.Good}", Ct);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Contains("\"federationOk\":true", await served.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            using var page = await visitor.GetAsync($"/?server_name={SiteFixture.Good}", Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            // Served while the flood still holds its share: none of its twelve diagnoses has ended.
            Assert.Equal(12, flood.Count);
            Assert.All(flood, f => Assert.False(f.IsCompleted));
            Assert.Equal((4, 8), slots.HeldBy(attackerAddress.ToString()));
            refused.ForEach(r => r.Dispose());
        }
        finally
        {
            hanging.Release();
        }
    }

    [Fact]
    public async Task Unread_streams_from_one_client_cannot_starve_another()
    {
        await using var site = Site();
        using var local = KestrelSite.Start(site);
        var baseAddress = local.BaseAddress!;
        var hanging = await HangingNames.StartAsync(fixture.Lab, 30);
        using var attacker = LoopbackClient.From(FederationLab.NewAddress(), baseAddress);
        using var visitor = LoopbackClient.From(FederationLab.NewAddress(), baseAddress);
        var streams = new List<HttpResponseMessage>();
        try
        {
            foreach (var name in hanging.Names)
            {
                // Opened and never read.
                streams.Add(await attacker.GetAsync($"/api/v2/stream?server_name={name}", HttpCompletionOption.ResponseHeadersRead, Ct));
            }
            Assert.Equal(12, streams.Count(s => s.StatusCode == HttpStatusCode.OK));
            Assert.Equal(18, streams.Count(s => s.StatusCode == HttpStatusCode.TooManyRequests));

            using var stream = await visitor.GetAsync($"/api/v2/stream?server_name={SiteFixture.Good}", HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            var kinds = new List<string>();
            await foreach (var e in Sse.ReadAsync(stream))
            {
                kinds.Add(e.Event);
            }
            Assert.DoesNotContain("queue", kinds);
            Assert.Equal("completed", kinds[^1]);
            Assert.Contains("permalink", kinds);
        }
        finally
        {
            hanging.Release();
            streams.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_newcomer_waiting_behind_a_busy_client_is_next_in_line()
    {
        await using var site = Site(("Abuse:MaxConcurrentDiagnoses", "2"), ("Abuse:MaxRunningPerClient", "2"));
        using var local = KestrelSite.Start(site);
        var baseAddress = local.BaseAddress!;
        var first = await fixture.GatedServerAsync();
        var hanging = await HangingNames.StartAsync(fixture.Lab, 4);
        var busyAddress = FederationLab.NewAddress();
        using var busy = LoopbackClient.From(busyAddress, baseAddress);
        using var newcomer = LoopbackClient.From(FederationLab.NewAddress(), baseAddress);
        var held = new List<HttpResponseMessage>();
        try
        {
            held.Add(await busy.GetAsync($"/api/v2/stream?server_name={first.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct));
            foreach (var name in hanging.Names)
            {
                held.Add(await busy.GetAsync($"/api/v2/stream?server_name={name}", HttpCompletionOption.ResponseHeadersRead, Ct));
            }
            Assert.All(held, h => Assert.Equal(HttpStatusCode.OK, h.StatusCode));

            using var mine = await newcomer.GetAsync($"/api/v2/stream?server_name={SiteFixture.Good}", HttpCompletionOption.ResponseHeadersRead, Ct);
            await using var events = Sse.ReadAsync(mine).GetAsyncEnumerator(Ct);
            Assert.True(await events.MoveNextAsync());
            Assert.Equal("queue", events.Current.Event);
            Assert.Equal(1, events.Current.Data.GetProperty("position").GetInt32());

            // One of the busy client's runs ends: the slot goes to the newcomer, not to the three waiting before it.
            first.Open();
            Assert.True(await events.MoveNextAsync());
            Assert.Equal("server-name", events.Current.Event);
            Assert.Equal((1, 3), site.Services.GetRequiredService<DiagnosisSlots>().HeldBy(busyAddress.ToString()));
            while (await events.MoveNextAsync() && events.Current.Event != "completed")
            {
            }
            Assert.Equal("completed", events.Current.Event);
        }
        finally
        {
            first.Open();
            hanging.Release();
            held.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_forwarded_address_is_the_client_and_ipv6_counts_per_64()
    {
        await using var site = Site(("Abuse:MaxRunningPerClient", "1"), ("Abuse:MaxQueuedPerClient", "0"), ("Abuse:KnownProxies:0", "127.0.0.1"));
        using var proxy = KestrelSite.Start(site);
        var hanging = await HangingNames.StartAsync(fixture.Lab, 4);
        var streams = new List<HttpResponseMessage>();
        try
        {
            async Task<HttpStatusCode> StreamAsync(string forwardedFor, string name)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v2/stream?server_name={name}");
                request.Headers.Add("X-Forwarded-For", forwardedFor);
                var response = await proxy.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
                streams.Add(response);
                return response.StatusCode;
            }
            Assert.Equal(HttpStatusCode.OK, await StreamAsync("2001:db8:1::1", hanging.Names[0]));
            Assert.Equal(HttpStatusCode.TooManyRequests, await StreamAsync("2001:db8:1::2", hanging.Names[1]));
            Assert.Equal(HttpStatusCode.OK, await StreamAsync("2001:db8:2::1", hanging.Names[2]));
            Assert.Equal(HttpStatusCode.OK, await StreamAsync("203.0.113.9", hanging.Names[3]));
            var slots = site.Services.GetRequiredService<DiagnosisSlots>();
            Assert.Equal((1, 0), slots.HeldBy("2001:db8:1::/64"));
            Assert.Equal((0, 0), slots.HeldBy("127.0.0.1"));
        }
        finally
        {
            hanging.Release();
            streams.ForEach(s => s.Dispose());
        }
    }
}
