using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Lab;
using Microsoft.AspNetCore.Http;

using MatrixTester.Diagnostics.Tests.Timing;

namespace MatrixTester.Diagnostics.Tests.Discovery;

/// <summary>Every way <c>/.well-known/matrix/server</c> can fail or surprise (spec step 3), with the exact finding and what discovery does next.</summary>
public sealed class WellKnownScenarioTests : DiscoveryLabTest
{
    [Fact]
    public async Task No_web_server_on_443_is_a_failed_well_known_and_discovery_continues()
    {
        var ip = Address("example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.ConnectionFailed, run.Report.Discovery!.WellKnown.Outcome);
        Assert.True(run.Has("wellknown.unreachable"));
        AssertEndpoint(Assert.Single(run.Report.Discovery.Endpoints), ip, 8448, "example.test", "example.test", DiscoveryStep.DefaultPort);
    }

    [Fact]
    public async Task Well_known_serving_an_html_page_is_invalid_and_discovery_continues_at_step_4()
    {
        await WellKnownHost("example.test", r => r.WellKnown("<html><body>Welcome to nginx!</body></html>", "text/html"));
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "hs.example.test", 8457);
        Address("hs.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.InvalidJson, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Contains("HTML", run.Finding("wellknown.invalid_json").Detail, StringComparison.Ordinal);
        Assert.Equal(DiscoveryStep.Srv, Assert.Single(run.Report.Discovery.Endpoints).Step);
    }

    [Fact]
    public async Task Well_known_with_broken_json_is_reported_with_the_parser_position()
    {
        await WellKnownHost("example.test", r => r.WellKnown("""{"m.server": "matrix.example.test:443",}"""));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.InvalidJson, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Equal(Severity.Warning, run.Finding("wellknown.invalid_json").Severity);
        Assert.Equal(DiscoveryStep.DefaultPort, Assert.Single(run.Report.Discovery.Endpoints).Step);
    }

    [Fact]
    public async Task Well_known_m_server_with_a_scheme_is_an_error_and_discovery_continues_per_spec()
    {
        await WellKnownHost("example.test", r => r.Delegate("https://matrix.example.test:443"));
        var run = await Lab.DiagnoseAsync("example.test");
        var finding = run.Finding("wellknown.invalid_m_server");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("scheme", finding.Detail, StringComparison.Ordinal);
        Assert.Equal(DiscoveryStep.DefaultPort, Assert.Single(run.Report.Discovery!.Endpoints).Step);
    }

    [Fact]
    public async Task Well_known_without_m_server_is_reported()
    {
        await WellKnownHost("example.test", r => r.WellKnown("""{"m.homeserver": {"base_url": "https://matrix.example.test"}}"""));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.MissingMServer, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Contains("client file", run.Finding("wellknown.missing_m_server").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Well_known_answering_500_is_an_error_response_and_discovery_continues()
    {
        await WellKnownHost("example.test", r => r.Json("/.well-known/matrix/server", "oops", 500, "text/plain"));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.HttpError, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Contains("500", run.Finding("wellknown.http_error").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Well_known_redirect_to_another_host_is_followed_and_each_hop_reported()
    {
        await WellKnownHost("example.test", r => r.Redirect("/.well-known/matrix/server", "https://www.example.test/.well-known/matrix/server", 301));
        await WellKnownHost("www.example.test", r => r.Delegate("matrix.example.test:443"));
        var hs = Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal("matrix.example.test:443", run.Report.Discovery!.WellKnown.MServer);
        var attempt = Assert.Single(run.Report.Discovery.WellKnown.Attempts);
        Assert.Equal(["https://example.test/.well-known/matrix/server", "https://www.example.test/.well-known/matrix/server"], attempt.Requests.Select(r => r.Url));
        Assert.Equal([301, 200], attempt.Requests.Select(r => r.Status ?? 0));
        Assert.True(run.Has("wellknown.redirect"));
        Assert.Equal(hs, Assert.Single(run.Report.Discovery.Endpoints).Address);
    }

    [Fact]
    public async Task Well_known_redirect_loop_is_detected()
    {
        await WellKnownHost("example.test", r => r
            .Redirect("/.well-known/matrix/server", "/a")
            .Redirect("/a", "/.well-known/matrix/server"));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.RedirectLoop, run.Report.Discovery!.WellKnown.Outcome);
        Assert.True(run.Has("wellknown.redirect_loop"));
    }

    [Fact]
    public async Task Well_known_redirecting_forever_stops_at_the_limit()
    {
        var lab = Lab;
        var host = FederationLab.NewAddress();
        lab.Zone.A("endless.test", host.ToString());
        await lab.HttpsAsync(host, 443, lab.Pki.Issue("endless.test"), r => r.Map("/.well-known/matrix/server", Hop));
        var run = await lab.DiagnoseAsync("endless.test", o => o.MaxRedirects = 5);
        Assert.Equal(WellKnownOutcome.TooManyRedirects, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Equal(6, Assert.Single(run.Report.Discovery.WellKnown.Attempts).Requests.Count);

        static Task Hop(Microsoft.AspNetCore.Http.HttpContext c)
        {
            c.Response.StatusCode = 307;
            c.Response.Headers.Location = $"/.well-known/matrix/server?n={Guid.NewGuid():N}";
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Well_known_larger_than_50_KiB_is_refused()
    {
        var padding = new string(' ', 60 * 1024);
        await WellKnownHost("example.test", r => r.WellKnown($$"""{"m.server": "matrix.example.test:443"{{padding}}}"""));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.TooLarge, run.Report.Discovery!.WellKnown.Outcome);
        Assert.True(run.Has("wellknown.too_large"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Slow_well_known_times_out_and_the_report_still_comes_back()
    {
        // The well-known sends one byte and then nothing, for ever. The engine's clock is a fake: the report can only
        // come back because the request timeout fired when the test moved the clock past it.
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await WellKnownHost("example.test", r => r.Map("/.well-known/matrix/server", async c =>
        {
            await c.Response.WriteAsync("{");
            await c.Response.Body.FlushAsync();
            stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        }));
        // Bounds far beyond the test's own timeout: only the fake clock can reach them in time.
        var clock = LabClock.StoppedNow();
        var (request, connect) = (TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2));
        var running = Lab.DiagnoseAsync("example.test", o => (o.RequestTimeout, o.ConnectTimeout, o.OverallDeadline) = (request, connect, TimeSpan.FromHours(1)), clock);
        await stalled.Task.WaitAsync(TestContext.Current.CancellationToken);
        // Request plus connect timeout: the most any per-request bound may take; far below the overall deadline.
        clock.Advance(request + connect);
        var run = await running.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(WellKnownOutcome.Timeout, run.Report.Discovery!.WellKnown.Outcome);
        Assert.True(run.Has("wellknown.timeout"));
        Assert.False(run.Report.TimedOut, "the request timeout, not the overall deadline, should have ended the fetch");
    }

    [Fact]
    public async Task Well_known_served_as_text_plain_works_with_a_content_type_warning()
    {
        await WellKnownHost("example.test", r => r.WellKnown("""{"m.server": "matrix.example.test:443"}""", "text/plain"));
        Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.Delegated, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Contains("text/plain", run.Finding("wellknown.content_type").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Well_known_caching_headers_give_the_ttl_a_homeserver_applies()
    {
        await WellKnownHost("example.test", r => r.WellKnown("""{"m.server": "matrix.example.test:443"}""", "application/json", ("Cache-Control", "max-age=60")));
        Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(TimeSpan.FromMinutes(5), run.Report.Discovery!.WellKnown.CacheTtl);
        Assert.True(run.Has("wellknown.cache_clamped"));
    }

    [Fact]
    public async Task Well_known_with_a_certificate_for_another_name_is_ignored()
    {
        var ip = Address("example.test", Lab);
        await Lab.HttpsAsync(ip, 443, Lab.Pki.Issue("other.test"), r => r.Delegate("matrix.example.test:443"));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.CertificateInvalid, run.Report.Discovery!.WellKnown.Outcome);
        Assert.True(run.Has("wellknown.certificate_invalid"));
        Assert.Equal(DiscoveryStep.DefaultPort, Assert.Single(run.Report.Discovery.Endpoints).Step);
    }

    [Fact]
    public async Task Addresses_disagreeing_about_well_known_are_a_split_brain_error()
    {
        var a = FederationLab.NewAddress();
        var b = FederationLab.NewAddress();
        Lab.Zone.A("example.test", a.ToString()).A("example.test", b.ToString());
        await Lab.HttpsAsync(a, 443, Lab.Pki.Issue("example.test"), r => r.Delegate("matrix.example.test:443"));
        await Lab.HttpsAsync(b, 443, Lab.Pki.Issue("example.test"), r => r.Delegate("old.example.test:8448"));
        Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(2, run.Report.Discovery!.WellKnown.Attempts.Count);
        var finding = run.Finding("wellknown.split_brain");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("old.example.test:8448", finding.Detail, StringComparison.Ordinal);
    }
}
