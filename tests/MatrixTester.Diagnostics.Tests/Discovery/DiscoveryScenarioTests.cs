using System.Net;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Diagnostics.Tests.Timing;
using MatrixTester.Lab.Dns;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.Discovery;

/// <summary>
/// Every row of the spec's "Resolving server names" table, and every way each can fail, as lab scenarios. Each test
/// reads like the situation it models and asserts the resolved endpoints (address, port, Host, TLS name, step) or
/// the exact finding.
/// </summary>
public sealed class DiscoveryScenarioTests : LabTest
{
    private static void AssertEndpoint(ResolvedEndpoint endpoint, IPAddress address, int port, string host, string tlsName, DiscoveryStep step, string? srvTarget = null)
    {
        Assert.Equal(address, endpoint.Address);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(host, endpoint.HostHeader);
        Assert.Equal(tlsName, endpoint.TlsName);
        Assert.Equal(step, endpoint.Step);
        Assert.Equal(srvTarget, endpoint.SrvTarget);
    }

    /// <summary>The server name's web server on port 443 answers the well-known as <paramref name="routes"/> say.</summary>
    private async Task<IPAddress> WellKnownHost(string name, Action<Lab.Hosts.LabRoutes> routes)
    {
        var address = FederationLab.NewAddress();
        Lab.Zone.A(name, address.ToString());
        await Lab.HttpsAsync(address, 443, Lab.Pki.Issue(name), routes);
        return address;
    }

    private static IPAddress Address(string name, FederationLab lab)
    {
        var address = FederationLab.NewAddress();
        lab.Zone.A(name, address.ToString());
        return address;
    }

    [Fact]
    public async Task Step1_an_IPv4_literal_is_used_directly_on_port_8448_without_any_lookup()
    {
        var ip = FederationLab.NewAddress();
        var run = await Lab.DiagnoseAsync(ip.ToString());
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), ip, 8448, ip.ToString(), ip.ToString(), DiscoveryStep.IpLiteral);
        Assert.Equal(WellKnownOutcome.NotApplicable, run.Report.Discovery.WellKnown.Outcome);
        Assert.Empty(Lab.Dns.QueryLog);
        Assert.True(run.Has("server_name.ip_literal"));
    }

    [Fact]
    public async Task Step1_a_bracketed_IPv6_literal_with_port_keeps_the_brackets_in_the_Host_header()
    {
        var run = await Lab.DiagnoseAsync("[::1]:8449");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), IPAddress.IPv6Loopback, 8449, "[::1]:8449", "::1", DiscoveryStep.IpLiteral);
    }

    [Fact]
    public async Task Step2_an_explicit_port_skips_well_known_and_SRV_and_sends_host_with_port()
    {
        var ip = Address("example.test", Lab);
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "elsewhere.example.test", 1);
        var run = await Lab.DiagnoseAsync("example.test:8449");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), ip, 8449, "example.test:8449", "example.test", DiscoveryStep.ExplicitPort);
        Assert.DoesNotContain(Lab.Dns.QueryLog, q => q.Type == DnsRecordType.SRV);
        Assert.Equal(WellKnownOutcome.NotApplicable, run.Report.Discovery.WellKnown.Outcome);
    }

    [Fact]
    public async Task Step3_1_well_known_delegating_to_an_IP_literal_uses_the_IP_as_Host_and_TLS_name()
    {
        var target = FederationLab.NewAddress();
        await WellKnownHost("example.test", r => r.Delegate($"{target}:8450"));
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), target, 8450, $"{target}:8450", target.ToString(), DiscoveryStep.WellKnownIpLiteral);
    }

    [Fact]
    public async Task Step3_2_well_known_delegating_to_host_and_port_resolves_the_delegated_host()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test:443"));
        var hs = Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.Delegated, run.Report.Discovery!.WellKnown.Outcome);
        AssertEndpoint(Assert.Single(run.Report.Discovery.Endpoints), hs, 443, "matrix.example.test:443", "matrix.example.test", DiscoveryStep.WellKnownExplicitPort);
        // Delegation is not recursive: the delegated host's own well-known is never asked for.
        Assert.DoesNotContain(Lab.Dns.QueryLog, q => q.Name.Contains("_matrix", StringComparison.Ordinal) && q.Name.EndsWith("matrix.example.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Step3_3_well_known_host_without_port_uses_its_matrix_fed_SRV_but_keeps_the_delegated_name_for_Host_and_TLS()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test"));
        Lab.Zone.Srv("_matrix-fed._tcp.matrix.example.test", "hs1.example.test", 8451, priority: 10, weight: 5);
        var hs = Address("hs1.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8451, "matrix.example.test", "matrix.example.test", DiscoveryStep.WellKnownSrv, "hs1.example.test");
    }

    [Fact]
    public async Task Step3_4_well_known_host_with_only_the_deprecated_SRV_uses_it_with_a_warning()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test"));
        Lab.Zone.Srv("_matrix._tcp.matrix.example.test", "hs1.example.test", 8452);
        var hs = Address("hs1.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8452, "matrix.example.test", "matrix.example.test", DiscoveryStep.WellKnownDeprecatedSrv, "hs1.example.test");
        Assert.Equal(Severity.Warning, run.Finding("srv.deprecated").Severity);
    }

    [Fact]
    public async Task Step3_5_well_known_host_without_SRV_records_uses_port_8448()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test"));
        var hs = Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8448, "matrix.example.test", "matrix.example.test", DiscoveryStep.WellKnownDefaultPort);
    }

    [Fact]
    public async Task Step4_no_well_known_uses_matrix_fed_SRV_of_the_server_name_with_the_server_name_as_TLS_name()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "hs.example.test", 8453);
        var hs = Address("hs.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.NotFound, run.Report.Discovery!.WellKnown.Outcome);
        Assert.True(run.Has("wellknown.not_found"));
        AssertEndpoint(Assert.Single(run.Report.Discovery.Endpoints), hs, 8453, "example.test", "example.test", DiscoveryStep.Srv, "hs.example.test");
    }

    [Fact]
    public async Task Step5_only_the_deprecated_SRV_of_the_server_name_is_used_with_a_warning()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix._tcp.example.test", "hs.example.test", 8454);
        var hs = Address("hs.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8454, "example.test", "example.test", DiscoveryStep.DeprecatedSrv, "hs.example.test");
        Assert.True(run.Has("srv.deprecated"));
    }

    [Fact]
    public async Task Both_SRV_names_present_uses_matrix_fed_and_says_the_old_one_is_ignored()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "new.example.test", 8455);
        Lab.Zone.Srv("_matrix._tcp.example.test", "old.example.test", 8456);
        var hs = Address("new.example.test", Lab);
        Address("old.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8455, "example.test", "example.test", DiscoveryStep.Srv, "new.example.test");
        Assert.True(run.Has("srv.deprecated_ignored"));
        Assert.False(run.Has("srv.deprecated"));
    }

    [Fact]
    public async Task Step6_no_well_known_and_no_SRV_uses_the_server_names_addresses_on_8448()
    {
        var ip = await WellKnownHost("example.test", _ => { });
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), ip, 8448, "example.test", "example.test", DiscoveryStep.DefaultPort);
    }

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

    [Fact]
    public async Task SRV_records_are_ordered_by_priority_then_weight()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "backup.example.test", 8460, priority: 20, weight: 0)
            .Srv("_matrix-fed._tcp.example.test", "light.example.test", 8461, priority: 10, weight: 1)
            .Srv("_matrix-fed._tcp.example.test", "heavy.example.test", 8462, priority: 10, weight: 50);
        var backup = Address("backup.example.test", Lab);
        var light = Address("light.example.test", Lab);
        var heavy = Address("heavy.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal([heavy, light, backup], run.Report.Discovery!.Endpoints.Select(e => e.Address));
        Assert.Equal([8462, 8461, 8460], run.Report.Discovery.Endpoints.Select(e => e.Port));
    }

    [Fact]
    public async Task An_SRV_target_that_is_a_CNAME_is_followed_with_a_warning()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "alias.example.test", 8463).Cname("alias.example.test", "real.example.test");
        var real = Address("real.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(real, Assert.Single(run.Report.Discovery!.Endpoints).Address);
        Assert.Equal(Severity.Warning, run.Finding("srv.target_cname").Severity);
    }

    [Fact]
    public async Task An_SRV_target_of_dot_means_federation_is_not_offered()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", ".", 0);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(Severity.Error, run.Finding("srv.not_offered").Severity);
        Assert.Empty(run.Report.Discovery!.Endpoints);
    }

    [Fact]
    public async Task SRV_SERVFAIL_is_an_error_distinct_from_no_record()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Rcode("_matrix-fed._tcp.example.test", LabRcode.ServFail);
        var run = await Lab.DiagnoseAsync("example.test");
        var finding = run.Finding("srv.lookup_failed");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("SERVFAIL", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_SRV_target_without_addresses_is_an_error()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "ghost.example.test", 8464);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.True(run.Has("srv.target_unresolvable"));
        Assert.True(run.Has("discovery.no_endpoints"));
    }

    [Fact]
    public async Task A_server_name_that_does_not_exist_is_NXDOMAIN()
    {
        var run = await Lab.DiagnoseAsync("nowhere.test");
        Assert.Equal(Severity.Error, run.Finding("dns.nxdomain").Severity);
        Assert.True(run.Has("discovery.no_endpoints"));
        Assert.False(run.Report.Verdict.FederationOk);
    }

    [Fact]
    public async Task A_name_server_refusing_the_lookup_is_reported_as_REFUSED_not_as_missing()
    {
        Lab.Zone.Rcode("example.test", LabRcode.Refused);
        var run = await Lab.DiagnoseAsync("example.test:8448");
        Assert.Contains("REFUSED", run.Finding("dns.refused").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_name_server_is_a_DNS_timeout_not_a_missing_name()
    {
        Lab.Zone.Drop("example.test");
        var run = await Lab.DiagnoseAsync("example.test:8448", o => o.DnsTimeout = TimeSpan.FromMilliseconds(400));
        Assert.Equal(Severity.Error, run.Finding("dns.timeout").Severity);
        Assert.False(run.Has("dns.nxdomain"));
    }

    [Fact]
    public async Task SERVFAIL_on_the_address_lookup_is_its_own_finding()
    {
        Lab.Zone.Rcode("example.test", LabRcode.ServFail);
        var run = await Lab.DiagnoseAsync("example.test:8448");
        Assert.Contains("SERVFAIL", run.Finding("dns.servfail").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_IPv6_only_delegated_host_gives_a_bracketed_endpoint()
    {
        Lab.Zone.Aaaa("v6.example.test", "::1");
        var run = await Lab.DiagnoseAsync("v6.example.test:8465");
        var endpoint = Assert.Single(run.Report.Discovery!.Endpoints);
        AssertEndpoint(endpoint, IPAddress.IPv6Loopback, 8465, "v6.example.test:8465", "v6.example.test", DiscoveryStep.ExplicitPort);
        Assert.Equal("[::1]:8465", endpoint.Key);
    }

    [Fact]
    public async Task A_dual_stack_host_gives_one_endpoint_per_address_IPv6_first()
    {
        var v4 = FederationLab.NewAddress();
        Lab.Zone.Aaaa("dual.example.test", "::1").A("dual.example.test", v4.ToString());
        var run = await Lab.DiagnoseAsync("dual.example.test:8466");
        Assert.Equal([IPAddress.IPv6Loopback, v4], run.Report.Discovery!.Endpoints.Select(e => e.Address));
    }

    [Fact]
    public async Task Private_addresses_are_refused_without_connecting_unless_allowed()
    {
        var host = await WellKnownHost("example.test", r => r.Delegate("matrix.example.test:443"));
        var labHost = Lab;
        var run = await labHost.DiagnoseAsync("example.test", o => o.AllowPrivateNetworks = false);
        var refused = run.Findings.Where(f => f.Id == "net.address_refused").ToList();
        Assert.NotEmpty(refused);
        Assert.Contains("loopback", refused[0].Detail, StringComparison.Ordinal);
        Assert.Equal(WellKnownOutcome.NoAddress, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Contains(run.Report.Discovery.Endpoints, e => e.Address.Equals(host));
        Assert.False(run.Report.Verdict.FederationOk);
    }

    [Fact]
    public async Task SRV_lookups_start_alongside_the_well_known_fetch_not_after_it()
    {
        // The well-known answers only once the SRV question has reached the DNS server. Asked after the well-known
        // (in series), the question would never come while the fetch waits, and the fetch would end in its timeout.
        var srv = Lab.Dns.Watch("_matrix-fed._tcp.example.test", DnsRecordType.SRV);
        await WellKnownHost("example.test", r => r.Map("/.well-known/matrix/server", async c =>
        {
            await srv.Arrived.WaitAsync(c.RequestAborted);
            c.Response.StatusCode = 404;
        }));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.NotFound, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Contains(run.Events.OfType<DnsQueryEvent>(), e => e.Answer.Type == DnsRecordType.SRV);
    }

    [Fact]
    public async Task Each_DNS_question_is_asked_once_per_diagnosis()
    {
        await WellKnownHost("example.test", r => r.Delegate("example.test"));
        var run = await Lab.DiagnoseAsync("example.test");
        var questions = Lab.Dns.QueryLog.Where(q => q.Transport == LabTransport.Udp).Select(q => (q.Name, q.Type)).ToList();
        Assert.Equal(questions.Distinct().Count(), questions.Count);
        Assert.Equal(DiscoveryStep.WellKnownDefaultPort, Assert.Single(run.Report.Discovery!.Endpoints).Step);
    }

    [Fact]
    public async Task Events_stream_in_order_and_end_with_the_report()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test:443"));
        Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.IsType<ServerNameEvent>(run.Events[0]);
        Assert.IsType<CompletedEvent>(run.Events[^1]);
        Assert.Contains(run.Events, e => e is WellKnownEvent);
        Assert.Contains(run.Events, e => e is EndpointsEvent);
        Assert.True(run.Events.Zip(run.Events.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public async Task Invalid_input_gives_a_report_with_the_reason_and_no_network_activity()
    {
        var run = await Lab.DiagnoseAsync("https://example.test/");
        var finding = Assert.Single(run.Findings);
        Assert.Equal("server_name.invalid", finding.Id);
        Assert.Contains("example.test", finding.Fix, StringComparison.Ordinal);
        Assert.Empty(Lab.Dns.QueryLog);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_overall_deadline_returns_a_partial_report_saying_what_timed_out()
    {
        // DNS never answers; the engine's clock is a fake and the deadline far beyond the test's own timeout: nothing
        // ends the run until the fake clock passes the deadline.
        Lab.Zone.Drop("example.test").Drop("_matrix-fed._tcp.example.test").Drop("_matrix._tcp.example.test");
        var asked = Lab.Dns.Watch("_matrix-fed._tcp.example.test", DnsRecordType.SRV);
        var clock = LabClock.StoppedNow();
        var deadline = TimeSpan.FromMinutes(5);
        var running = Lab.DiagnoseAsync("example.test", o =>
        {
            o.DnsTimeout = TimeSpan.FromMinutes(30);
            o.OverallDeadline = deadline;
        }, clock);
        await asked.Arrived.WaitAsync(TestContext.Current.CancellationToken);

        clock.Advance(deadline - TimeSpan.FromMilliseconds(1));
        Assert.False(running.IsCompleted, "the run ended before its deadline");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var run = await running.WaitAsync(TestContext.Current.CancellationToken);

        Assert.True(run.Report.TimedOut);
        Assert.True(run.Has("diagnosis.timed_out"));
        Assert.Equal(deadline, run.Report.Duration);
    }
}
