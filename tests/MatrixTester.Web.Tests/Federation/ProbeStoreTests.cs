using System.Net;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Federation;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>
/// The probe store on SQLite: expiry deletes a probe with its seed, slot and old fetches; a check holds its probe and
/// releases it; the caps (overall and per client) refuse with the time a probe frees up; what a request records.
/// </summary>
public sealed class ProbeStoreTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Reuse = TimeSpan.FromMinutes(1);
    private static readonly ProbeLimits Limits = new(Lifetime, Reuse, MaxActive: 64, MaxPerClient: 8, Linger: TimeSpan.FromSeconds(30));
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "matrixtester-probestore-" + Guid.NewGuid().ToString("N"));
    private readonly StoreDatabase _database;
    private readonly ProbeStore _store;
    private readonly KeyFetchLog _log;

    public ProbeStoreTests()
    {
        var storage = Options.Create(new StorageOptions { DataDirectory = _directory });
        _database = new StoreDatabase(storage, new StoreAvailability(storage, TimeProvider.System, NullLogger<StoreAvailability>.Instance), TimeProvider.System, NullLogger<StoreDatabase>.Instance);
        _store = new ProbeStore(_database);
        _log = new KeyFetchLog(_database);
    }

    private async Task<StoredProbe> StartAsync(string target, DateTimeOffset at, string? client = null, ProbeLimits? limits = null, params string[] sources)
    {
        var grant = await _store.StartAsync(new ProbeStart(target, SigningKey.Generate("p", 12), client, sources), at, limits ?? Limits, Ct);
        Assert.Null(grant.Refusal);
        return grant.Probe!;
    }

    private Task<ProbeRefusal?> RefusedAsync(string target, DateTimeOffset at, string? client, ProbeLimits limits) =>
        _store.StartAsync(new ProbeStart(target, SigningKey.Generate("p", 12), client, []), at, limits, Ct).ContinueWith(t => t.Result.Refusal, TaskScheduler.Default);

    private static InboundRecord Fetch(DateTimeOffset at, string source, string path = "/_matrix/key/v2/server") =>
        new(at, source, source, "IPv4", null, "h", "ua", path);

    [Fact]
    public async Task An_expired_probe_is_deleted_with_its_old_fetches_and_the_target_gets_a_new_probe()
    {
        var probe = await StartAsync("x.example.test", Start, sources: "192.0.2.1");
        Assert.True(await _log.RecordAsync(Fetch(Start.AddSeconds(2), "192.0.2.1"), 32, Ct));
        Assert.Equal(2000, Assert.Single(await _log.InboundAsync(probe, 32, Ct)).AtMs);

        // Past the reuse window but alive: a new check of the target starts a new probe; the old one is still served.
        var second = await StartAsync("x.example.test", Start + Reuse + TimeSpan.FromSeconds(1));
        Assert.NotEqual(probe.Key.KeyId, second.Key.KeyId);
        Assert.Equal(2, (await _store.ActiveAsync(Start + Reuse + TimeSpan.FromSeconds(2), 64, Ct)).Count);

        Assert.Equal(1, await _store.DeleteExpiredAsync(Start + Lifetime, Lifetime, Ct));
        Assert.Equal(second.Key.KeyId, Assert.Single(await _store.ActiveAsync(Start + Lifetime, 64, Ct)).Key.KeyId);
        Assert.Equal(1, await _store.DeleteExpiredAsync(Start + Reuse + TimeSpan.FromSeconds(1) + Lifetime, Lifetime, Ct));
        Assert.Empty(await _store.ActiveAsync(Start, 64, Ct));
        // Fetch rows go when they are a lifetime old: no probe can still be reading them.
        Assert.Empty(await _log.InboundAsync(probe, 32, Ct));
    }

    [Fact]
    public async Task A_released_probe_is_served_until_its_reuse_window_ends_or_a_short_linger_and_only_when_its_last_check_released_it()
    {
        var probe = await StartAsync("held.example.test", Start);
        var reused = await StartAsync("held.example.test", Start.AddSeconds(10));
        Assert.Equal(probe.Key.KeyId, reused.Key.KeyId);

        // The first check is done; the second still holds the probe: nothing changes.
        await _store.ReleaseAsync(probe, Start.AddSeconds(15), Limits, Ct);
        Assert.Equal(Start + Lifetime, Assert.Single(await _store.ActiveAsync(Start.AddSeconds(16), 64, Ct)).ExpiresAt);

        // The last one is done 20 s in: served until the reuse window ends (60 s), not for five minutes.
        await _store.ReleaseAsync(reused, Start.AddSeconds(20), Limits, Ct);
        Assert.Equal(Start + Reuse, Assert.Single(await _store.ActiveAsync(Start.AddSeconds(21), 64, Ct)).ExpiresAt);
        Assert.Empty(await _store.ActiveAsync(Start + Reuse, 64, Ct));

        // A check that ends late keeps it for the linger after its end instead.
        var late = await StartAsync("late.example.test", Start);
        await _store.ReleaseAsync(late, Start.AddSeconds(50), Limits, Ct);
        Assert.Equal(Start.AddSeconds(80), Assert.Single(await _store.ActiveAsync(Start.AddSeconds(60), 64, Ct)).ExpiresAt);
    }

    [Fact]
    public async Task A_reuse_after_the_release_holds_the_probe_for_its_whole_lifetime_again()
    {
        var probe = await StartAsync("again.example.test", Start);
        await _store.ReleaseAsync(probe, Start.AddSeconds(5), Limits, Ct);
        var reused = await StartAsync("again.example.test", Start.AddSeconds(59));
        Assert.Equal(probe.Key.KeyId, reused.Key.KeyId);
        Assert.Equal(Start + Lifetime, Assert.Single(await _store.ActiveAsync(Start.AddSeconds(61), 64, Ct)).ExpiresAt);
    }

    [Fact]
    public async Task One_client_gets_its_share_and_no_more_while_another_client_and_the_site_itself_still_get_probes()
    {
        var limits = Limits with { MaxActive = 5, MaxPerClient = 2 };
        var first = await StartAsync("a1.example.test", Start, "192.0.2.7", limits);
        await StartAsync("a2.example.test", Start.AddSeconds(3), "192.0.2.7", limits);
        await _store.ReleaseAsync(first, Start.AddSeconds(10), limits, Ct);

        var refused = await RefusedAsync("a3.example.test", Start.AddSeconds(20), "192.0.2.7", limits);
        // The client's first probe was released: it frees up when its reuse window ends, 40 s from now.
        Assert.Equal(new ProbeRefusal(true, 2, Start + Reuse), refused);
        Assert.NotNull(await StartAsync("b1.example.test", Start.AddSeconds(20), "2001:db8:1:2::/64", limits));
        Assert.NotNull(await StartAsync("w1.example.test", Start.AddSeconds(20), client: null, limits));
        // The same target again is the running probe, whoever asks: no share needed.
        var again = await StartAsync("a1.example.test", Start.AddSeconds(21), "192.0.2.7", limits);
        Assert.Equal(first.Key.KeyId, again.Key.KeyId);
        await _store.ReleaseAsync(again, Start.AddSeconds(22), limits, Ct);

        // When the time it named comes, the client gets a probe again.
        Assert.NotNull(await StartAsync("a4.example.test", Start + Reuse, "192.0.2.7", limits));
    }

    [Fact]
    public async Task Past_the_overall_cap_a_probe_is_refused_with_the_time_the_first_one_frees_up()
    {
        var limits = Limits with { MaxActive = 2, MaxPerClient = 2 };
        await StartAsync("c1.example.test", Start, "192.0.2.8", limits);
        await StartAsync("c2.example.test", Start.AddSeconds(2), "192.0.2.9", limits);
        Assert.Equal(new ProbeRefusal(false, 2, Start + Lifetime), await RefusedAsync("c3.example.test", Start.AddSeconds(4), "192.0.2.10", limits));
        Assert.NotNull(await StartAsync("c3.example.test", Start + Lifetime, "192.0.2.10", limits));
    }

    [Fact]
    public async Task Fetches_are_kept_per_source_up_to_a_cap_per_minute_and_a_probe_sees_only_its_own_sources_since_it_started()
    {
        Assert.True(await _log.RecordAsync(Fetch(Start.AddSeconds(-1), "192.0.2.1"), 3, Ct));
        var probe = await StartAsync("own.example.test", Start, sources: ["192.0.2.1", "2001:db8::/64"]);
        for (var i = 0; i < 4; i++)
        {
            await _log.RecordAsync(Fetch(Start.AddSeconds(i + 1), "192.0.2.1"), 3, Ct);
        }
        Assert.True(await _log.RecordAsync(Fetch(Start.AddSeconds(5), "2001:db8::/64"), 3, Ct));
        Assert.True(await _log.RecordAsync(Fetch(Start.AddSeconds(6), "198.51.100.1"), 3, Ct));

        var seen = await _log.InboundAsync(probe, 32, Ct);
        // 3 per source per minute: the one before the probe started counts towards the cap but is not the probe's.
        Assert.Equal(["192.0.2.1", "192.0.2.1", "2001:db8::/64"], seen.Select(s => s.RemoteAddress));
        Assert.Equal([1000L, 2000L, 5000L], seen.Select(s => s.AtMs));
        // A minute later the source may be recorded again.
        Assert.True(await _log.RecordAsync(Fetch(Start.AddSeconds(61), "192.0.2.1"), 3, Ct));
    }

    [Fact]
    public async Task Counts_add_up_per_second_across_flushes()
    {
        await _log.AddCountsAsync(new Dictionary<long, long> { [Start.ToUnixTimeSeconds()] = 3, [Start.ToUnixTimeSeconds() + 1] = 2 }, Ct);
        await _log.AddCountsAsync(new Dictionary<long, long> { [Start.ToUnixTimeSeconds() + 1] = 5 }, Ct);
        Assert.Equal(10, await _log.CountSinceAsync(Start, Ct));
        Assert.Equal(7, await _log.CountSinceAsync(Start.AddSeconds(1), Ct));
    }

    [Theory]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7", "192.0.2.7", "IPv4")]
    [InlineData("192.0.2.7", "192.0.2.7", "192.0.2.7", "IPv4")]
    [InlineData("2001:db8::5", "2001:db8::5", "2001:db8::/64", "IPv6")]
    public void A_request_is_described_with_its_source_and_address_family_an_ipv4_mapped_address_counting_as_ipv4(string address, string recorded, string source, string family)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Path = "/_matrix/key/v2/server";
        var described = InboundLog.Describe(context, DateTimeOffset.UnixEpoch);
        Assert.Equal(recorded, described.RemoteAddress);
        Assert.Equal(source, described.Source);
        Assert.Equal(family, described.AddressFamily);
        Assert.Null(described.Sni);
        Assert.Null(described.UserAgent);
    }

    [Fact]
    public void Every_field_from_the_peer_is_bounded_and_loses_its_control_characters()
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(new string('h', 400));
        context.Request.Path = "/_matrix/key/v2/server/" + new string('k', 1000);
        context.Request.Headers.UserAgent = "evil\r\nX-Injected: 1\u0007";
        var described = InboundLog.Describe(context, DateTimeOffset.UnixEpoch);
        Assert.Equal(InboundLog.MaxName, described.Host!.Length);
        Assert.Equal(InboundLog.MaxPath, described.Path.Length);
        Assert.Equal("evil??X-Injected: 1?", described.UserAgent);
        Assert.Equal("unknown", described.RemoteAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Tests that only describe requests never open the database, so the directory was never made.
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
