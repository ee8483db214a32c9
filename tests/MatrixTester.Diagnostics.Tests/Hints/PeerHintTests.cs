using System.Collections.Concurrent;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.Hints;

/// <summary>What peers see of us (our User-Agent) and what we tell admins about their CDN.</summary>
public sealed class PeerHintTests : LabTest
{
    [Fact]
    public async Task Every_request_on_both_http_paths_carries_the_descriptive_user_agent()
    {
        var agents = new ConcurrentDictionary<string, string>();
        RequestDelegate Record(string body) => async context =>
        {
            agents[context.Request.Path.Value!] = context.Request.Headers.UserAgent.ToString();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        };
        LabServer server = null!;
        server = new LabServer(Lab)
        {
            WebServer = routes => routes
                .Map("/.well-known/matrix/server", Record("""{"m.server": "matrix.example.test:443"}"""))
                .Map("/.well-known/matrix/client", Record("""{"m.homeserver": {"base_url": "https://matrix.example.test"}}""")),
            Homeserver = routes => routes
                .Map("/_matrix/federation/v1/version", Record("""{"server": {"name": "Synapse", "version": "1.140.0"}}"""))
                .Map("/_matrix/key/v2/server", Record(server.SignedKeys(DateTimeOffset.UtcNow.AddDays(1)))),
        };
        await server.StartAsync();
        var run = await Lab.DiagnoseAsync("example.test", o => o.PublicUrl = new Uri("https://tester.example.org/"));

        Assert.True(run.Report.Verdict.FederationOk);
        var expected = $"MatrixTester/{DiagnosisOptions.EngineVersion} (+https://tester.example.org/)";
        Assert.Matches(@"^MatrixTester/\d+\.\d+\.\d+ \(\+https://tester\.example\.org/\)$", expected);
        foreach (var path in new[] { "/.well-known/matrix/server", "/.well-known/matrix/client", "/_matrix/federation/v1/version", "/_matrix/key/v2/server" })
        {
            Assert.True(agents.TryGetValue(path, out var agent), $"{path} was not requested");
            Assert.Equal(expected, agent);
        }
    }

    [Fact]
    public void Without_a_public_url_the_user_agent_has_no_link()
    {
        Assert.Equal($"MatrixTester/{DiagnosisOptions.EngineVersion}", new DiagnosisOptions().UserAgent);
        Assert.Equal($"MatrixTester/{DiagnosisOptions.EngineVersion}", new DiagnosisOptions { PublicUrl = new Uri("ftp://x.example/") }.UserAgent);
    }

    [Theory]
    [InlineData("cf-ray", "8a1b2c3d4e5f-FRA", "Cloudflare")]
    [InlineData("server", "cloudflare", "Cloudflare")]
    [InlineData("x-amz-cf-id", "abc==", "Amazon CloudFront")]
    [InlineData("server", "AkamaiGHost", "Akamai")]
    public async Task A_federation_response_with_cdn_fingerprints_gets_a_note_with_docs(string header, string value, string cdn)
    {
        var server = new LabServer(Lab)
        {
            Homeserver = routes => routes.Json("/_matrix/federation/v1/version", """{"server": {"name": "Synapse", "version": "1.140.0"}}""", 200, "application/json", (header, value)),
        };
        await server.StartAsync();
        var run = await Lab.DiagnoseAsync("example.test");

        var finding = Assert.Single(run.Findings, f => f.Id == CdnFingerprints.BehindCdn.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains(cdn, finding.Summary, StringComparison.Ordinal);
        Assert.Contains($"{header}: {value}", finding.Detail, StringComparison.Ordinal);
        Assert.Equal("federation-tls#cdn", finding.Docs);
        Assert.True(run.Report.Verdict.FederationOk);
    }

    [Fact]
    public async Task A_plain_server_header_is_no_cdn()
    {
        await new LabServer(Lab) { Homeserver = routes => routes.Json("/_matrix/federation/v1/version", """{"server": {"name": "Synapse", "version": "1.140.0"}}""", 200, "application/json", ("server", "nginx/1.26")) }.StartAsync();
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.DoesNotContain(run.Findings, f => f.Id == CdnFingerprints.BehindCdn.Id);
    }

    [Fact]
    public async Task An_unreadable_support_file_is_a_note_and_leaves_federation_working_without_warnings()
    {
        await new LabServer(Lab) { WebServer = r => r.Json("/.well-known/matrix/support", "oops", 500, "text/plain") }.StartAsync();
        var run = await Lab.DiagnoseAsync("example.test");
        var finding = Assert.Single(run.Findings, f => f.Id.StartsWith("support.", StringComparison.Ordinal));
        Assert.Equal("support.unreachable", finding.Id);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.StartsWith("Optional:", finding.Fix, StringComparison.Ordinal);
        Assert.Equal(VerdictStatus.Works, run.Report.Verdict.Status);
    }
}
