using System.Net;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>With the store down, a probe cannot start (a clear exception the engine reports), but our keys are still served.</summary>
public sealed class ProbeOutageTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_database_unreachable_a_probe_fails_with_ProbeUnavailableException_and_the_long_term_key_is_still_served()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory),
            ("Storage:Provider", "Postgres"), ("Storage:ConnectionString", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2"));
        var client = site.CreateClient();
        var identity = site.Services.GetRequiredService<FederationIdentity>();

        for (var i = 0; i < 4; i++)
        {
            var refused = await Assert.ThrowsAsync<ProbeUnavailableException>(() => identity.StartProbeAsync("down.example.test", [], Ct));
            Assert.True(refused.RetryAfter > TimeSpan.Zero);
        }

        using var response = await client.GetAsync("/_matrix/key/v2/server", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = ServerKeyChecker.Check(200, "application/json", await response.Content.ReadAsByteArrayAsync(Ct), FederationSite.Name, DateTimeOffset.UtcNow);
        Assert.True(keys.AllChecksOK);
        Assert.StartsWith("ed25519:a_", Assert.Single(keys.VerifyKeys).Key, StringComparison.Ordinal);
    }
}
