using System.Net;
using System.Text.Json;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Lab;
using MatrixTester.Web.Federation;
using MatrixTester.Web.Tests.Storage;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>
/// The call token check's tables (migration 3 of the federation part) on one PostgreSQL database shared by two
/// instances: a token minted by one is answered and its call-back recorded by the other, which the first sees; one
/// check per target per minute holds across both; a released token is refused by either.
/// </summary>
public sealed class SharedTokenCheckTests(SiteFixture fixture, PostgresDatabase database) : IClassFixture<SiteFixture>, IClassFixture<PostgresDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SiteFactory Instance(string connectionString, string keyPath) =>
        FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory),
            ("Storage:Provider", "Postgres"), ("Storage:ConnectionString", connectionString), ("Federation:SigningKeyPath", keyPath));

    [Fact]
    public async Task A_token_minted_on_one_instance_is_verified_and_recorded_by_the_other()
    {
        var connectionString = await database.NewSchemaAsync();
        var keyPath = Path.Combine(FederationSite.NewDirectory(fixture.DataDirectory), "shared.signing.key");
        await using var a = Instance(connectionString, keyPath);
        await using var b = Instance(connectionString, keyPath);
        using var plainB = KestrelSite.Start(b);
        var service = FederationLab.NewAddress();
        using var clientB = ClientFrom.Create(service, plainB.BaseAddress!, userAgent: "lk-jwt-service/0.3");

        var probe = await FederationServices.TokenCheckIssuer(a.Services)!.StartAsync("calls.example.test", 1, Ct);
        var grant = Assert.Single(probe.Grants);
        using (var answer = await clientB.GetAsync($"/_matrix/federation/v1/openid/userinfo?access_token={Uri.EscapeDataString(grant.AccessToken)}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct));
            Assert.Equal(grant.UserId, body.RootElement.GetProperty("sub").GetString());
        }
        var callback = Assert.Single(await probe.CallbacksAsync(Ct));
        Assert.Equal((0, service.ToString(), "IPv4", "lk-jwt-service/0.3"), (callback.Grant, callback.RemoteAddress, callback.AddressFamily, callback.UserAgent));

        // One check per target per minute, whichever instance asks.
        var refused = await Assert.ThrowsAsync<TokenCheckUnavailableException>(() => FederationServices.TokenCheckIssuer(b.Services)!.StartAsync("calls.example.test", 1, Ct));
        Assert.StartsWith("a call token check of this server ran less than a minute ago", refused.Message, StringComparison.Ordinal);

        await probe.ReleaseAsync(Ct);
        using var after = await clientB.GetAsync($"/_matrix/federation/v1/openid/userinfo?access_token={Uri.EscapeDataString(grant.AccessToken)}", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("M_UNKNOWN_TOKEN", await after.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
