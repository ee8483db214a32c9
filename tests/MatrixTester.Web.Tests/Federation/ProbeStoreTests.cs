using System.Net;
using MatrixTester.Web.Federation;
using MatrixTester.Web.Permalinks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>The probe store on SQLite: expiry deletes a probe with its seed, slot and inbound rows; what a request records.</summary>
public sealed class ProbeStoreTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Reuse = TimeSpan.FromMinutes(1);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "matrixtester-probestore-" + Guid.NewGuid().ToString("N"));
    private readonly FederationDatabase _database;
    private readonly ProbeStore _store;

    public ProbeStoreTests()
    {
        var storage = Options.Create(new StorageOptions { DataDirectory = _directory });
        _database = new FederationDatabase(storage, new StoreAvailability(storage, TimeProvider.System, NullLogger<StoreAvailability>.Instance), TimeProvider.System);
        _store = new ProbeStore(_database);
    }

    [Fact]
    public async Task An_expired_probe_is_deleted_with_its_inbound_log_and_the_target_gets_a_new_probe()
    {
        var start = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        var probe = await _store.StartAsync("x.example.test", SigningKey.Generate("p", 12), start, Lifetime, Reuse, 64, Ct);
        await _store.RecordAsync([probe.Key.KeyId], new InboundRecord(start.AddSeconds(2), "192.0.2.1", "IPv4", null, "h", "ua", "/p"), 32, Ct);
        Assert.Equal(2000, Assert.Single(await _store.InboundAsync(probe.Key.KeyId, probe.StartedAt, Ct)).AtMs);

        // Past the reuse window but alive: a new check of the target starts a new probe; the old one is still served.
        var second = await _store.StartAsync("x.example.test", SigningKey.Generate("p", 12), start + Reuse + TimeSpan.FromSeconds(1), Lifetime, Reuse, 64, Ct);
        Assert.NotEqual(probe.Key.KeyId, second.Key.KeyId);
        Assert.Equal(2, (await _store.ActiveAsync(start + Reuse + TimeSpan.FromSeconds(2), 64, Ct)).Count);

        Assert.Equal(1, await _store.DeleteExpiredAsync(start + Lifetime, Ct));
        Assert.Empty(await _store.InboundAsync(probe.Key.KeyId, probe.StartedAt, Ct));
        Assert.Equal(second.Key.KeyId, Assert.Single(await _store.ActiveAsync(start + Lifetime, 64, Ct)).Key.KeyId);
        Assert.Equal(1, await _store.DeleteExpiredAsync(start + Reuse + TimeSpan.FromSeconds(1) + Lifetime, Ct));
        Assert.Empty(await _store.ActiveAsync(start, 64, Ct));
    }

    [Theory]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7", "IPv4")]
    [InlineData("192.0.2.7", "192.0.2.7", "IPv4")]
    [InlineData("2001:db8::5", "2001:db8::5", "IPv6")]
    public void A_request_is_described_with_its_address_family_an_ipv4_mapped_address_counting_as_ipv4(string address, string recorded, string family)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Path = "/_matrix/key/v2/server";
        var described = InboundLog.Describe(context, DateTimeOffset.UnixEpoch);
        Assert.Equal(recorded, described.RemoteAddress);
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
        Directory.Delete(_directory, recursive: true);
    }
}
