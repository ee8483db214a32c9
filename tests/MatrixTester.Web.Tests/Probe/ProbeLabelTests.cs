using System.Net;
using MatrixTester.Lab.Pki;
using MatrixTester.Web.Tests.History;

namespace MatrixTester.Web.Tests.Probe;

/// <summary>
/// A certificate whose names carry CR, LF and ESC: the /probe exposition keeps one sample per line, and the label
/// shows the control characters as visible escapes instead of passing them to dashboards and terminals.
/// </summary>
public sealed class ProbeLabelTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    // Quoted for the X.500 string parser, which then keeps the control characters in the subject (and, self-signed, the issuer).
    private const string CommonName = "evil\r\u001b[2J\nmatrixtester_federation_ok 1";

    [Fact]
    public async Task Control_characters_from_a_certificate_are_escaped_in_probe_labels()
    {
        await using var server = await SwappableServer.StartAsync(fixture.Lab, "probe-label.example.test");
        await server.ServeAsync(fixture.Lab.Pki.Issue(new LeafSpec([server.Host]) { Issuer = LabIssuer.SelfSigned, CommonName = $"\"{CommonName}\"" }), server.Key);

        using var response = await fixture.Site.CreateClient().GetAsync($"/probe?target={server.Name}", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain('\r', body);
        Assert.DoesNotContain('\u001b', body);
        var expiry = Assert.Single(body.Split('\n'), l => l.StartsWith("matrixtester_certificate_expiry_timestamp_seconds{", StringComparison.Ordinal));
        Assert.Contains("""issuer_cn="evil\\u000d\\u001b[2J\\u000amatrixtester_federation_ok 1"}""", expiry, StringComparison.Ordinal);
        // The forged sample did not become a line of its own: the only federation_ok sample is the real one, 0 here.
        Assert.Equal("matrixtester_federation_ok 0", Assert.Single(body.Split('\n'), l => l.StartsWith("matrixtester_federation_ok", StringComparison.Ordinal)));
    }
}
