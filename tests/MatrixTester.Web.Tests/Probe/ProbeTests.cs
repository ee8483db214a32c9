using System.Net;
using MatrixTester.Web.Tests.History;
using MatrixTester.Web.Tests.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Probe;

/// <summary>/probe against lab servers: values match the lab's certificates and keys; bad targets and limits give 4xx/503.</summary>
public sealed class ProbeTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    // What Prometheus sends: text first, but */* too (which gets people the HTML busy page elsewhere).
    private const string PrometheusAccept = "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpResponseMessage Response, string Body)> ProbeAsync(HttpClient client, string target)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/probe?target={Uri.EscapeDataString(target)}");
        request.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);
        var response = await client.SendAsync(request, Ct);
        return (response, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_healthy_server_probes_as_ok_with_its_certificate_expiry_and_key_validity()
    {
        await using var server = await SwappableServer.StartAsync(fixture.Lab, "probe-ok.example.test");
        var client = fixture.Site.CreateClient();
        var (response, body) = await ProbeAsync(client, server.Name);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var samples = Exposition.Parse(body);
        var address = server.EndPoint.ToString();

        Assert.Equal(1, samples.One("matrixtester_probe_success").Value);
        Assert.Equal(1, samples.One("matrixtester_federation_ok").Value);
        Assert.Equal(1, samples.One("matrixtester_verdict", ("status", "works")).Value);
        Assert.Equal(0, samples.One("matrixtester_verdict", ("status", "broken")).Value);
        Assert.Equal(1, samples.One("matrixtester_address_family_ok", ("family", "ipv4")).Value);
        Assert.DoesNotContain(samples, s => s.Has(("family", "ipv6")));
        Assert.Equal(0, samples.One("matrixtester_findings", ("severity", "error"), ("part", "federation")).Value);
        Assert.Equal(1, samples.One("matrixtester_address_ok", ("address", address), ("family", "ipv4")).Value);

        var expiry = samples.One("matrixtester_certificate_expiry_timestamp_seconds", ("address", address));
        Assert.Equal(new DateTimeOffset(server.Certificate.Leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), expiry.Value);
        Assert.Equal(server.Host, expiry.Labels["tls_name"]);
        Assert.Equal(server.Certificate.Leaf.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: true), expiry.Labels["issuer_cn"]);
        Assert.Equal(server.KeysValidUntil.ToUnixTimeSeconds(), samples.One("matrixtester_key_valid_until_timestamp_seconds", ("address", address)).Value);

        foreach (var phase in new[] { "connect", "tls_handshake", "version", "keys" })
        {
            Assert.InRange(samples.One("matrixtester_address_phase_duration_seconds", ("address", address), ("phase", phase)).Value, 0, 60);
        }
        foreach (var phase in new[] { "well_known", "address_lookup", "connections" })
        {
            Assert.InRange(samples.One("matrixtester_phase_duration_seconds", ("phase", phase)).Value, 0, 60);
        }
        // Delegated to an explicit port: no SRV lookup happened, so there is no made-up duration for one.
        Assert.DoesNotContain(samples, s => s.Has(("phase", "srv_lookup")));
        Assert.InRange(samples.One("matrixtester_probe_duration_seconds").Value, 0.0001, 60);

        // The run is stored like any other result.
        var id = response.Headers.GetValues("X-Result-Id").Single();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v2/results/{id}", Ct)).StatusCode);
        response.Dispose();
    }

    [Fact]
    public async Task An_expired_certificate_probes_as_not_ok_with_the_expired_date()
    {
        await using var server = await SwappableServer.StartAsync(fixture.Lab, "probe-expired.example.test");
        await server.BreakAsync();
        var (response, body) = await ProbeAsync(fixture.Site.CreateClient(), server.Name);
        using var _ = response;
        var samples = Exposition.Parse(body);
        var address = server.EndPoint.ToString();
        Assert.Equal(1, samples.One("matrixtester_probe_success").Value);
        Assert.Equal(0, samples.One("matrixtester_federation_ok").Value);
        Assert.Equal(1, samples.One("matrixtester_verdict", ("status", "broken")).Value);
        Assert.True(samples.One("matrixtester_findings", ("severity", "error"), ("part", "federation")).Value >= 1);
        Assert.Equal(0, samples.One("matrixtester_certificate_valid", ("address", address)).Value);
        var expiry = samples.One("matrixtester_certificate_expiry_timestamp_seconds", ("address", address)).Value;
        Assert.Equal(new DateTimeOffset(server.Certificate.Leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), expiry);
        Assert.True(expiry < DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("/probe", "Missing target parameter")]
    [InlineData("/probe?target=", "Missing target parameter")]
    [InlineData("/probe?target=not%20a%20name", "target is not a valid server name")]
    [InlineData("/probe?target=example.org:99999", "target is not a valid server name")]
    [InlineData("/probe?target=a.example.org&target=b.example.org", "target is given 2 times; a probe checks one server name")]
    public async Task A_bad_target_is_a_400_with_the_reason(string url, string reason)
    {
        using var response = await fixture.Site.CreateClient().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(reason, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_longer_than_the_input_limit_is_a_400()
    {
        using var response = await fixture.Site.CreateClient().GetAsync("/probe?target=" + new string('a', 2000), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("target is too long (2000 characters; at most 1024)", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_share_the_rate_limit_bucket_with_the_api_and_get_a_plain_429()
    {
        await using var site = new SiteFactory(fixture.Lab, fixture.DataDirectory, new Dictionary<string, string?>
        {
            ["Abuse:RateLimit:TokenLimit"] = "2",
            ["Abuse:RateLimit:TokensPerPeriod"] = "1",
            ["Abuse:RateLimit:ReplenishmentPeriod"] = "00:10:00",
        });
        var client = site.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct)).StatusCode);
        var (ok, _) = await ProbeAsync(client, SiteFixture.Good);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        ok.Dispose();

        var (limited, body) = await ProbeAsync(client, SiteFixture.Good);
        using var _ = limited;
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotEmpty(limited.Headers.GetValues("Retry-After"));
        Assert.Equal("text/plain", limited.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("Too many tests from your address.", body, StringComparison.Ordinal);
        // A bad target is answered about the input, bucket empty or not: it asks for no diagnosis, so it costs no token.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/probe?target=not%20a%20name", Ct)).StatusCode);
    }

    [Fact]
    public async Task Within_the_reuse_window_a_probe_reads_the_result_the_api_just_stored_and_says_how_old_it_is()
    {
        // The site's clock stands still between the two requests except for the 90 s the test moves it.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var factory = new SiteFactory(fixture.Lab, fixture.DataDirectory, new Dictionary<string, string?> { ["Abuse:ReuseWindow"] = "00:10:00" });
        await using var site = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var client = site.CreateClient();
        using var report = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Good}", Ct);
        clock.Advance(TimeSpan.FromSeconds(90));
        var (probe, body) = await ProbeAsync(client, SiteFixture.Good);
        using var _ = probe;
        Assert.Equal(report.Headers.GetValues("X-Result-Id").Single(), probe.Headers.GetValues("X-Result-Id").Single());
        Assert.Equal(90, Exposition.Parse(body).One("matrixtester_result_age_seconds").Value);
    }

    [Fact]
    public async Task When_every_slot_and_queue_place_is_taken_a_probe_gets_503_with_retry_after()
    {
        await using var site = new SiteFactory(fixture.Lab, fixture.DataDirectory, new Dictionary<string, string?>
        {
            ["Abuse:MaxConcurrentDiagnoses"] = "1",
            ["Abuse:MaxQueuedDiagnoses"] = "0",
        });
        using var client = KestrelSite.Start(site);
        var gate = await fixture.GatedServerAsync();
        // The stream answers as soon as its run is admitted, so from here the gated run holds the only slot.
        using var holding = await client.GetAsync($"/api/v2/stream?server_name={gate.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, holding.StatusCode);
        try
        {
            var (busy, body) = await ProbeAsync(client, SiteFixture.Missing);
            using var response = busy;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.NotEmpty(busy.Headers.GetValues("Retry-After"));
            Assert.StartsWith("The tester is busy", body, StringComparison.Ordinal);
        }
        finally
        {
            gate.Open();
        }
    }
}
