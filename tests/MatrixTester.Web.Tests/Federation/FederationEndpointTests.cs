using System.Net;
using System.Text.Json;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>The federation endpoints a peer needs: keys (checked by the engine's own key checker), version, the rest.</summary>
public sealed class FederationEndpointTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_key_response_passes_the_engines_key_checker_with_the_long_term_key_and_every_active_probe_key()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory));
        var client = site.CreateClient();
        var identity = site.Services.GetRequiredService<FederationIdentity>();
        Assert.Equal(FederationSite.Name, identity.ServerName);
        var first = await identity.StartProbeAsync("one.example.test", [], Ct);
        var second = await identity.StartProbeAsync("two.example.test", [], Ct);

        foreach (var path in new[] { "/_matrix/key/v2/server", $"/_matrix/key/v2/server/{Uri.EscapeDataString(first.KeyId)}" })
        {
            using var response = await client.GetAsync(path, Ct);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            var result = ServerKeyChecker.Check((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, FederationSite.Name, DateTimeOffset.UtcNow);

            Assert.True(result.AllChecksOK, string.Join("; ", result.Findings.Select(f => f.Summary)));
            Assert.Empty(result.Findings);
            Assert.Equal(3, result.VerifyKeys.Count);
            Assert.Contains(first.KeyId, result.VerifyKeys.Keys);
            Assert.Contains(second.KeyId, result.VerifyKeys.Keys);
            Assert.Equal(UnpaddedBase64.Encode(first.PublicKey.Span), result.VerifyKeys[first.KeyId].KeyBase64);
            Assert.Equal(3, result.Ed25519Checks.Count(c => c.Value.MatchingSignature));
            Assert.Empty(result.OldVerifyKeys);
            // About an hour ahead: peers cache it that long, and the spec asks for at least an hour.
            Assert.InRange(result.ValidUntil!.Value, DateTimeOffset.UtcNow.AddMinutes(60), DateTimeOffset.UtcNow.AddMinutes(66));
        }
    }

    [Fact]
    public async Task The_probe_key_signs_what_the_key_response_lists()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory));
        var probe = await site.Services.GetRequiredService<FederationIdentity>().StartProbeAsync("sign.example.test", [], Ct);
        using var json = JsonDocument.Parse(await site.CreateClient().GetStringAsync("/_matrix/key/v2/server", Ct));
        var served = UnpaddedBase64.TryDecode(json.RootElement.GetProperty("verify_keys").GetProperty(probe.KeyId).GetProperty("key").GetString(), out var key, out _);
        Assert.True(served);
        var message = "{\"a\":1}"u8.ToArray();
        Assert.True(Ed25519.Verify(key, message, probe.Sign(message)));
        Assert.Matches("^ed25519:p[A-Za-z0-9]{12}$", probe.KeyId);
    }

    [Fact]
    public async Task The_signing_seed_is_never_in_the_key_response()
    {
        var directory = FederationSite.NewDirectory(fixture.DataDirectory);
        await using var site = FederationSite.Create(fixture.Lab, directory);
        var body = await site.CreateClient().GetStringAsync("/_matrix/key/v2/server", Ct);
        var seed = File.ReadAllText(Path.Combine(directory, "signing.key")).Split(' ')[2].Trim();
        Assert.DoesNotContain(seed, body, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllText(Path.Combine(directory, "signing.key")).Split(' ')[1], body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_names_MatrixTester_and_its_informational_version()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory));
        using var response = await site.CreateClient().GetAsync("/_matrix/federation/v1/version", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("MatrixTester", json.RootElement.GetProperty("server").GetProperty("name").GetString());
        Assert.Equal(FederationEndpoints.Version, json.RootElement.GetProperty("server").GetProperty("version").GetString());
        Assert.Matches(@"^\d+\.\d+", FederationEndpoints.Version);
    }

    [Theory]
    [InlineData("GET", "/_matrix/federation/v1/query/directory?room_alias=%23a%3Ab")]
    [InlineData("PUT", "/_matrix/federation/v1/send/1")]
    [InlineData("POST", "/_matrix/key/v2/server")]
    [InlineData("POST", "/_matrix/key/v2/query")]
    [InlineData("GET", "/_matrix/client/versions")]
    [InlineData("GET", "/_matrix/")]
    public async Task Everything_else_under_matrix_is_404_M_UNRECOGNIZED(string method, string path)
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory));
        await AssertUnrecognizedAsync(site.CreateClient(), method, path);
    }

    [Fact]
    public async Task Without_a_server_name_there_is_no_identity_and_every_matrix_path_is_M_UNRECOGNIZED()
    {
        var directory = FederationSite.NewDirectory(fixture.DataDirectory);
        await using var site = FederationSite.Create(fixture.Lab, directory, ("Federation:ServerName", ""));
        var client = site.CreateClient();
        Assert.Null(FederationServices.Identity(site.Services));
        await AssertUnrecognizedAsync(client, "GET", "/_matrix/key/v2/server");
        await AssertUnrecognizedAsync(client, "GET", "/_matrix/federation/v1/version");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/.well-known/matrix/server", Ct)).StatusCode);
        Assert.False(File.Exists(Path.Combine(directory, "signing.key")));
    }

    [Fact]
    public async Task The_server_well_known_names_the_configured_delegation()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory), ("Federation:WellKnownServer", "fed.tester.example.test:443"));
        using var response = await site.CreateClient().GetAsync("/.well-known/matrix/server", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"m.server\":\"fed.tester.example.test:443\"}", await response.Content.ReadAsStringAsync(Ct));

        // Not configured: not served.
        await using var plain = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory));
        Assert.Equal(HttpStatusCode.NotFound, (await plain.CreateClient().GetAsync("/.well-known/matrix/server", Ct)).StatusCode);
    }

    [Fact]
    public async Task Key_requests_have_their_own_rate_limit_and_never_spend_diagnosis_tokens()
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory),
            ("Federation:RateLimit:TokenLimit", "3"), ("Federation:RateLimit:TokensPerPeriod", "1"), ("Federation:RateLimit:ReplenishmentPeriod", "00:10:00"),
            ("Abuse:RateLimit:TokenLimit", "1"), ("Abuse:RateLimit:TokensPerPeriod", "1"), ("Abuse:RateLimit:ReplenishmentPeriod", "00:10:00"));
        var client = site.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_matrix/key/v2/server", Ct)).StatusCode);
        }
        using var limited = await client.GetAsync("/_matrix/federation/v1/version", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal("text/plain", limited.Content.Headers.ContentType?.MediaType);

        // The diagnosis bucket (one token) is untouched by the key requests.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/federation-ok?server_name={SiteFixture.Missing}", Ct)).StatusCode);
    }

    private static async Task AssertUnrecognizedAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}", await response.Content.ReadAsStringAsync(Ct));
    }
}
