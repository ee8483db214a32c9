using System.Net;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab;
using MatrixTester.Web.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>
/// Probe keys through the site's identity: one per target per minute; fetches attributed by the address they come
/// from (the target's, and nobody else's); the caps, overall and per client, refuse in words that say when.
/// </summary>
public sealed class ProbeTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SiteFactory Site(params (string Key, string? Value)[] settings) =>
        FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory), settings);

    [Fact]
    public async Task A_second_probe_of_the_same_target_within_a_minute_gets_the_first_one()
    {
        await using var site = Site();
        var identity = site.Services.GetRequiredService<FederationIdentity>();
        var first = await identity.StartProbeAsync("same.example.test", [], Ct);
        var again = await identity.StartProbeAsync("same.example.test", [], Ct);
        var other = await identity.StartProbeAsync("other.example.test", [], Ct);

        Assert.Equal(first.KeyId, again.KeyId);
        Assert.Equal(first.StartedAt, again.StartedAt);
        Assert.True(first.PublicKey.Span.SequenceEqual(again.PublicKey.Span));
        Assert.NotEqual(first.KeyId, other.KeyId);
        Assert.True(again.Reused);
    }

    [Fact]
    public async Task A_fetch_from_a_targets_address_is_listed_for_its_probe_only_and_a_fetch_from_anyone_else_only_counted()
    {
        await using var site = Site();
        using var plain = KestrelSite.Start(site);
        var (targetA, targetB, stranger) = (FederationLab.NewAddress(), FederationLab.NewAddress(), FederationLab.NewAddress());
        var identity = site.Services.GetRequiredService<FederationIdentity>();
        var a = await identity.StartProbeAsync("a.example.test", [targetA, IPAddress.Parse("2001:db8::1")], Ct);
        var b = await identity.StartProbeAsync("b.example.test", [targetB], Ct);

        using (var fromA = ClientFrom.Create(targetA, plain.BaseAddress!, "Synapse/1.120.0"))
        {
            (await fromA.GetAsync("/_matrix/key/v2/server", Ct)).EnsureSuccessStatusCode();
        }
        // A stranger naming a's key id (listed in the key set for anyone to read) is still a stranger.
        using (var fromStranger = ClientFrom.Create(stranger, plain.BaseAddress!, "Evil/6.6"))
        {
            (await fromStranger.GetAsync($"/_matrix/key/v2/server/{a.KeyId}", Ct)).EnsureSuccessStatusCode();
            (await fromStranger.GetAsync("/_matrix/key/v2/server", Ct)).EnsureSuccessStatusCode();
        }

        var seenByA = Assert.Single(await a.InboundAsync(Ct));
        Assert.Equal((targetA.ToString(), "IPv4", "Synapse/1.120.0", "/_matrix/key/v2/server"), (seenByA.RemoteAddress, seenByA.AddressFamily, seenByA.UserAgent, seenByA.Path));
        Assert.InRange(seenByA.AtMs, 0, 60_000);
        Assert.Empty(await b.InboundAsync(Ct));
        // Every fetch is counted; a probe's own are not "unattributed".
        Assert.Equal(2, await a.UnattributedAsync(Ct));
        Assert.Equal(3, await b.UnattributedAsync(Ct));
    }

    [Fact]
    public async Task Fetches_from_one_source_are_kept_up_to_the_cap()
    {
        await using var site = Site(("Federation:MaxInboundPerProbe", "3"));
        using var plain = KestrelSite.Start(site);
        var target = FederationLab.NewAddress();
        var probe = await site.Services.GetRequiredService<FederationIdentity>().StartProbeAsync("many.example.test", [target], Ct);
        using var client = ClientFrom.Create(target, plain.BaseAddress!);
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync("/_matrix/key/v2/server", Ct)).EnsureSuccessStatusCode();
        }
        Assert.Equal(3, (await probe.InboundAsync(Ct)).Count);
    }

    [Fact]
    public async Task Fetches_without_an_active_probe_are_neither_recorded_nor_counted()
    {
        await using var site = Site();
        using var plain = KestrelSite.Start(site);
        var target = FederationLab.NewAddress();
        using var client = ClientFrom.Create(target, plain.BaseAddress!);
        (await client.GetAsync("/_matrix/key/v2/server", Ct)).EnsureSuccessStatusCode();
        var probe = await site.Services.GetRequiredService<FederationIdentity>().StartProbeAsync("later.example.test", [target], Ct);
        Assert.Empty(await probe.InboundAsync(Ct));
        Assert.Equal(0, await probe.UnattributedAsync(Ct));
    }

    [Fact]
    public async Task Past_the_cap_a_probe_is_refused_in_words_that_say_when_one_frees_up()
    {
        await using var site = Site(("Federation:MaxActiveProbes", "2"), ("Federation:MaxActiveProbesPerClient", "2"));
        var identity = site.Services.GetRequiredService<FederationIdentity>();
        await identity.StartProbeAsync("c1.example.test", [], Ct);
        await identity.StartProbeAsync("c2.example.test", [], Ct);
        var refused = await Assert.ThrowsAsync<ProbeUnavailableException>(() => identity.StartProbeAsync("c3.example.test", [], Ct));
        // Both are held by (pretend) running checks: the first expires at the end of its 5-minute lifetime at the latest.
        Assert.Equal("all 2 two-way probes of this tester are in use; the next one frees up within 5 minutes", refused.Message);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(5));
        // The running ones are still reused.
        await identity.StartProbeAsync("c1.example.test", [], Ct);
    }

    [Fact]
    public async Task A_released_probe_frees_its_place_when_its_reuse_window_ends_and_the_refusal_says_so()
    {
        await using var site = Site(("Federation:MaxActiveProbes", "4"), ("Federation:MaxActiveProbesPerClient", "1"));
        var identity = site.Services.GetRequiredService<FederationIdentity>();
        var first = await ProbeOwner.RunAsAsync("192.0.2.50", () => identity.StartProbeAsync("own1.example.test", [], Ct));
        await first.ReleaseAsync(Ct);

        var refused = await Assert.ThrowsAsync<ProbeUnavailableException>(() => ProbeOwner.RunAsAsync("192.0.2.50", () => identity.StartProbeAsync("own2.example.test", [], Ct)));
        Assert.Matches("^the address that asked for this test already has a two-way check running, the most one address may have at once; it frees up within ([1-9]|[1-5][0-9]|60) seconds$", refused.Message);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        // Another client, and a diagnosis no visitor asked for, still get theirs.
        var other = await ProbeOwner.RunAsAsync("2001:db8:5:6::/64", () => identity.StartProbeAsync("other.example.test", [], Ct));
        var watch = await ProbeOwner.RunAsAsync(null, () => identity.StartProbeAsync("watched.example.test", [], Ct));
        Assert.NotEqual(other.KeyId, watch.KeyId);
    }

    [Theory]
    [InlineData("4", "5", "Federation:MaxActiveProbesPerClient must not be larger than Federation:MaxActiveProbes.")]
    [InlineData("4", "0", "MaxActiveProbesPerClient")]
    public async Task A_per_client_share_that_is_out_of_range_stops_the_site_at_start(string all, string perClient, string message)
    {
        await using var site = Site(("Federation:MaxActiveProbes", all), ("Federation:MaxActiveProbesPerClient", perClient));
        var error = Assert.ThrowsAny<Exception>(() => site.CreateClient());
        var invalid = Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(error.GetBaseException(), exactMatch: false);
        Assert.Contains(message, invalid.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.2, "within a second")]
    [InlineData(40.3, "within 41 seconds")]
    [InlineData(90, "within 90 seconds")]
    [InlineData(91, "within 2 minutes")]
    [InlineData(299.9, "within 5 minutes")]
    public void Waits_are_said_in_plain_words_rounded_up(double seconds, string words) =>
        Assert.Equal(words, FederationIdentity.Within(TimeSpan.FromSeconds(seconds)));
}
