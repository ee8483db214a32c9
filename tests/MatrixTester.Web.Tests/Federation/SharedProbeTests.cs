using System.Net;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab;
using MatrixTester.Web.Federation;
using MatrixTester.Web.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>
/// Two instances behind one name, on one PostgreSQL database and one signing key file: a probe started on one is
/// served by the other, the peer's fetch lands there, and the first instance sees it in the probe's inbound log.
/// </summary>
public sealed class SharedProbeTests(SiteFixture fixture, PostgresDatabase database) : IClassFixture<SiteFixture>, IClassFixture<PostgresDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SiteFactory Instance(string connectionString, string keyPath) =>
        FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory),
            ("Storage:Provider", "Postgres"), ("Storage:ConnectionString", connectionString), ("Federation:SigningKeyPath", keyPath));

    [Fact]
    public async Task A_probe_started_on_one_instance_is_served_by_the_other_and_the_fetch_it_records_is_seen_by_the_first()
    {
        var connectionString = await database.NewSchemaAsync();
        var keyPath = Path.Combine(FederationSite.NewDirectory(fixture.DataDirectory), "shared.signing.key");
        await using var a = Instance(connectionString, keyPath);
        await using var b = Instance(connectionString, keyPath);
        using var plainB = KestrelSite.Start(b);
        var peer = FederationLab.NewAddress();
        using var clientB = ClientFrom.Create(peer, plainB.BaseAddress!);

        var longTermA = await LongTermKeyIdsAsync(a);
        var identityA = a.Services.GetRequiredService<FederationIdentity>();
        var probe = await identityA.StartProbeAsync("peer.example.test", [peer], Ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/_matrix/key/v2/server/{probe.KeyId}");
        request.Headers.UserAgent.ParseAdd("Synapse/1.120.0");
        using var response = await clientB.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        var keys = ServerKeyChecker.Check(200, "application/json", body, FederationSite.Name, DateTimeOffset.UtcNow);
        Assert.True(keys.AllChecksOK, string.Join("; ", keys.Findings.Select(f => f.Summary)));
        Assert.Equal(UnpaddedBase64.Encode(probe.PublicKey.Span), keys.VerifyKeys[probe.KeyId].KeyBase64);
        // One identity: both instances sign with the same long-term key.
        Assert.Equal(longTermA, keys.VerifyKeys.Keys.Where(k => k != probe.KeyId).ToHashSet());

        var seen = Assert.Single(await probe.InboundAsync(Ct));
        Assert.Equal($"/_matrix/key/v2/server/{probe.KeyId}", seen.Path);
        Assert.Equal("Synapse/1.120.0", seen.UserAgent);

        // One probe per target per minute holds across instances too.
        var fromB = await b.Services.GetRequiredService<FederationIdentity>().StartProbeAsync("peer.example.test", [], Ct);
        Assert.Equal(probe.KeyId, fromB.KeyId);
        Assert.Equal(probe.StartedAt, fromB.StartedAt);
        var signature = fromB.Sign("x"u8);
        Assert.True(Ed25519.Verify(probe.PublicKey.Span, "x"u8, signature));
        Assert.Single(await fromB.InboundAsync(Ct));
    }

    private static async Task<HashSet<string>> LongTermKeyIdsAsync(WebApplicationFactory<Program> site)
    {
        var body = await site.CreateClient().GetByteArrayAsync("/_matrix/key/v2/server", Ct);
        return ServerKeyChecker.Check(200, "application/json", body, FederationSite.Name, DateTimeOffset.UtcNow).VerifyKeys.Keys.Where(k => !k.StartsWith("ed25519:p", StringComparison.Ordinal)).ToHashSet();
    }
}
