using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>Probe keys: one per target per minute, served for a few minutes; fetches attributed by id or by time window.</summary>
public sealed class ProbeTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_probe_of_the_same_target_within_a_minute_gets_the_first_one()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory));
        var identity = site.Services.GetRequiredService<IFederationIdentity>();
        var first = await identity.StartProbeAsync("same.example.test", Ct);
        var again = await identity.StartProbeAsync("same.example.test", Ct);
        var other = await identity.StartProbeAsync("other.example.test", Ct);

        Assert.Equal(first.KeyId, again.KeyId);
        Assert.Equal(first.StartedAt, again.StartedAt);
        Assert.True(first.PublicKey.Span.SequenceEqual(again.PublicKey.Span));
        Assert.NotEqual(first.KeyId, other.KeyId);
    }

    [Fact]
    public async Task A_fetch_of_a_probe_key_by_id_belongs_to_that_probe_and_a_fetch_of_the_whole_set_to_every_active_probe()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory));
        var client = site.CreateClient();
        var identity = site.Services.GetRequiredService<IFederationIdentity>();
        var a = await identity.StartProbeAsync("a.example.test", Ct);
        var b = await identity.StartProbeAsync("b.example.test", Ct);

        using (var byId = new HttpRequestMessage(HttpMethod.Get, $"/_matrix/key/v2/server/{a.KeyId}"))
        {
            byId.Headers.UserAgent.ParseAdd("Synapse/1.120.0");
            (await client.SendAsync(byId, Ct)).EnsureSuccessStatusCode();
        }
        using (var set = new HttpRequestMessage(HttpMethod.Get, "/_matrix/key/v2/server"))
        {
            set.Headers.TryAddWithoutValidation("User-Agent", "Dendrite " + new string('x', 1000) + "\u0001");
            (await client.SendAsync(set, Ct)).EnsureSuccessStatusCode();
        }

        var seenByA = await a.InboundAsync(Ct);
        var seenByB = await b.InboundAsync(Ct);
        Assert.Equal(2, seenByA.Count);
        Assert.Equal($"/_matrix/key/v2/server/{a.KeyId}", seenByA[0].Path);
        Assert.Equal("Synapse/1.120.0", seenByA[0].UserAgent);
        Assert.Equal("localhost", seenByA[0].Host);
        Assert.Null(seenByA[0].Sni);
        Assert.Equal("/_matrix/key/v2/server", seenByA[1].Path);
        Assert.InRange(seenByA[0].AtMs, 0, 60_000);
        Assert.True(seenByA[1].AtMs >= seenByA[0].AtMs);

        var whole = Assert.Single(seenByB);
        Assert.Equal("/_matrix/key/v2/server", whole.Path);
        Assert.Equal(InboundLog.MaxUserAgent, whole.UserAgent!.Length);
        Assert.StartsWith("Dendrite xxx", whole.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_inbound_log_of_a_probe_is_bounded()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory), ("Federation:MaxInboundPerProbe", "3"));
        var client = site.CreateClient();
        var probe = await site.Services.GetRequiredService<IFederationIdentity>().StartProbeAsync("many.example.test", Ct);
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync($"/_matrix/key/v2/server/{probe.KeyId}", Ct)).EnsureSuccessStatusCode();
        }
        Assert.Equal(3, (await probe.InboundAsync(Ct)).Count);
    }

    [Fact]
    public async Task Fetches_without_an_active_probe_are_not_recorded_and_an_unknown_key_id_is_a_whole_set_fetch()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory));
        var client = site.CreateClient();
        (await client.GetAsync("/_matrix/key/v2/server", Ct)).EnsureSuccessStatusCode();
        var probe = await site.Services.GetRequiredService<IFederationIdentity>().StartProbeAsync("later.example.test", Ct);
        Assert.Empty(await probe.InboundAsync(Ct));
        (await client.GetAsync("/_matrix/key/v2/server/ed25519:pNotOurs", Ct)).EnsureSuccessStatusCode();
        Assert.Equal("/_matrix/key/v2/server/ed25519:pNotOurs", Assert.Single(await probe.InboundAsync(Ct)).Path);
    }

    [Fact]
    public async Task Past_the_cap_of_active_probes_a_new_probe_is_refused_with_ProbeUnavailableException()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory), ("Federation:MaxActiveProbes", "2"));
        var identity = site.Services.GetRequiredService<IFederationIdentity>();
        await identity.StartProbeAsync("c1.example.test", Ct);
        await identity.StartProbeAsync("c2.example.test", Ct);
        var refused = await Assert.ThrowsAsync<ProbeUnavailableException>(() => identity.StartProbeAsync("c3.example.test", Ct));
        Assert.Contains("2 two-way probes", refused.Message, StringComparison.Ordinal);
        // The running ones are still reused.
        await identity.StartProbeAsync("c1.example.test", Ct);
    }
}
