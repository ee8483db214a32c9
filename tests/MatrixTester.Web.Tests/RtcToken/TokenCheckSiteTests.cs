using System.Net;
using System.Text.Json;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Lab;
using MatrixTester.Lab.Peer;
using MatrixTester.Lab.Rtc;
using MatrixTester.Web.Federation;
using MatrixTester.Web.Tests.TwoWay;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.RtcToken;

/// <summary>
/// The call token check through the real site: the site as the homeserver of a test user (its userinfo endpoint on
/// TLS 8448 in the lab), the lab's authorization service and SFU (node, livekit-server-sdk) as the target's, and what
/// the user gets: the v2 report, the event stream and the page.
/// </summary>
public sealed class TokenCheckSiteTests : IAsyncLifetime
{
    private TwoWaySite _site = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Requires.Part(LabPeerRuntime.NodeJs);
        _site = await TwoWaySite.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
            await _site.Lab.DisposeAsync();
        }
    }

    private async Task<LabRtcService> TargetAsync(RtcFault fault = RtcFault.None)
    {
        var service = await LabRtcService.StartAsync(_site.Lab, fault, cancellationToken: Ct);
        await RtcTarget.StartAsync(_site.Lab, service.ServiceUrl);
        return service;
    }

    private async Task<JsonElement> ReportAsync() => (await SavedReportAsync()).Report;

    /// <summary>The v2 report and its permalink page (another diagnosis within the minute would skip the token check).</summary>
    private async Task<(JsonElement Report, string Permalink)> SavedReportAsync()
    {
        using var response = await _site.Client.GetAsync($"/api/v2/report?server_name={RtcTarget.Name}", Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (document.RootElement.Clone(), response.Headers.Location!.OriginalString);
    }

    private static string Explain(JsonElement report, LabRtcService service) =>
        string.Join(", ", report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString())) + " / " + report.GetProperty("matrixRtc") + "\n" + service.Output;

    [Fact]
    public async Task The_service_verifies_the_sites_test_user_and_the_v2_report_says_the_token_check_works()
    {
        var service = await TargetAsync();
        var (report, permalink) = await SavedReportAsync();
        var check = report.GetProperty("matrixRtc").GetProperty("tokenCheck");
        Assert.True(check.GetProperty("status").GetString() == "Works", Explain(report, service));
        Assert.True(check.GetProperty("callbackSeen").GetBoolean());
        Assert.Equal($"wss://{service.SfuName}", check.GetProperty("sfuUrl").GetString());
        var asked = Assert.Single(check.GetProperty("services").EnumerateArray());
        Assert.EndsWith($":{TwoWaySite.Name}", asked.GetProperty("userId").GetString(), StringComparison.Ordinal);
        var callback = Assert.Single(asked.GetProperty("callbacks").EnumerateArray());
        Assert.Equal(service.ServiceAddress.ToString(), callback.GetProperty("remoteAddress").GetString());
        Assert.Equal("LabRtc/1.0 (lk-jwt-service stand-in)", callback.GetProperty("userAgent").GetString());
        Assert.Equal(200, asked.GetProperty("sfuValidation").GetProperty("status").GetInt32());
        // The service asked our server (the site) about exactly the user we named, and got it.
        Assert.Equal(asked.GetProperty("userId").GetString(), (string?)(await service.WaitForAsync("userinfo"))["sub"]);
        Assert.DoesNotContain(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString()!.StartsWith("rtc.", StringComparison.Ordinal));

        var page = await _site.Client.GetDocumentAsync(permalink);
        Assert.Equal("Call token check: works", page.QuerySelector("#token-check-title")!.TextContent.Trim());
        Assert.StartsWith($"Calls: the authorization service verified our test user (it asked our server from {service.ServiceAddress} over IPv4",
            page.QuerySelector(".token-check-callbacks li")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RtcFault.EgressBlocked, "rtc.service_cannot_verify", false)]
    [InlineData(RtcFault.KeyMismatch, "rtc.sfu_key_mismatch", true)]
    [InlineData(RtcFault.LocalhostUrl, "rtc.sfu_url_not_public", true)]
    public async Task Each_fault_shows_in_the_v2_report_and_on_the_page(RtcFault fault, string id, bool callbackSeen)
    {
        var service = await TargetAsync(fault);
        var (report, permalink) = await SavedReportAsync();
        var check = report.GetProperty("matrixRtc").GetProperty("tokenCheck");
        Assert.True(check.GetProperty("status").GetString() == "Broken", Explain(report, service));
        Assert.Equal(callbackSeen, check.GetProperty("callbackSeen").GetBoolean());
        var finding = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString()!.StartsWith("rtc.", StringComparison.Ordinal));
        Assert.Equal(id, finding.GetProperty("id").GetString());
        Assert.Equal("Error", finding.GetProperty("severity").GetString());
        Assert.StartsWith("calls#", finding.GetProperty("docs").GetString(), StringComparison.Ordinal);
        // Its own verdict: the federation verdict stays as it was.
        Assert.Equal("Works", report.GetProperty("verdict").GetProperty("status").GetString());

        var page = await _site.Client.GetDocumentAsync(permalink);
        Assert.Equal("Call token check: broken", page.QuerySelector("#token-check-title")!.TextContent.Trim());
        Assert.Contains(page.QuerySelectorAll(".finding code, .findings code"), c => c.TextContent.Contains(id, StringComparison.Ordinal));
        Assert.Equal(callbackSeen, page.QuerySelector(".token-check-callbacks-none") is null);
    }

    [Fact]
    public async Task The_stream_says_it_is_asking_then_shows_the_call_back_as_it_happens_then_the_result()
    {
        var service = await TargetAsync();
        using var response = await _site.Client.GetAsync($"/api/v2/stream?server_name={RtcTarget.Name}", HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = new List<Sse>();
        await foreach (var e in Sse.ReadAsync(response))
        {
            events.Add(e);
        }
        var kinds = events.Select(e => e.Event).ToList();
        var waiting = kinds.IndexOf("rtc-token-waiting");
        var callback = kinds.IndexOf("rtc-token-callback");
        var result = kinds.IndexOf("rtc-token");
        Assert.True(waiting >= 0 && callback > waiting && result > callback && kinds.IndexOf("completed") > result, string.Join(", ", kinds));
        Assert.StartsWith($"Asking the call authorization service at {service.ServiceUrl}/ for a call token for our test user @matrixtester-",
            events[waiting].Data.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Matches($"^Calls: the authorization service verified our test user \\(it asked our server from {service.ServiceAddress} over IPv4, .+ after \\d+ ms\\)$",
            events[callback].Data.GetProperty("summary").GetString());
        Assert.Equal("Works", events[result].Data.GetProperty("tokenCheck").GetProperty("status").GetString());
        // Neither token is in anything the stream sent.
        var identity = (string?)(await service.WaitForAsync("token"))["identity"];
        Assert.All(events, e => Assert.DoesNotContain("mto_", e.Data.GetRawText(), StringComparison.Ordinal));
        Assert.All(events, e => Assert.DoesNotContain("eyJ", e.Data.GetRawText(), StringComparison.Ordinal));
        Assert.NotNull(identity);

        var id = events.Single(e => e.Event == "permalink").Data.GetProperty("id").GetString();
        var permalink = await _site.Client.GetDocumentAsync($"/r/{id}");
        Assert.Equal(events[callback].Data.GetProperty("summary").GetString(), permalink.QuerySelector(".token-check-callbacks li")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_second_check_of_the_same_server_within_a_minute_is_skipped_and_says_when_it_can_run()
    {
        var service = await TargetAsync();
        var first = await ReportAsync();
        var second = await ReportAsync();
        Assert.True(first.GetProperty("matrixRtc").GetProperty("tokenCheck").GetProperty("status").GetString() == "Works", Explain(first, service));
        var check = second.GetProperty("matrixRtc").GetProperty("tokenCheck");
        Assert.Equal("Skipped", check.GetProperty("status").GetString());
        Assert.Matches("^Skipped: a call token check of this server ran less than a minute ago; the next one can run within \\d+ seconds$", check.GetProperty("summary").GetString());
        Assert.Single(service.Events("token"));
    }

    [Fact]
    public async Task The_userinfo_endpoint_answers_a_live_token_only_and_records_the_call()
    {
        var issuer = FederationServices.TokenCheckIssuer(_site.Factory.Services)!;
        var probe = await issuer.StartAsync("somewhere.test", 1, Ct);
        var grant = Assert.Single(probe.Grants);
        using var ok = await _site.Client.GetAsync($"/_matrix/federation/v1/openid/userinfo?access_token={Uri.EscapeDataString(grant.AccessToken)}", Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal($$"""{"sub":"{{grant.UserId}}"}""", await ok.Content.ReadAsStringAsync(Ct));
        Assert.Single(await probe.CallbacksAsync(Ct));

        await AssertRefusedAsync($"?access_token={Uri.EscapeDataString(grant.AccessToken)}x", "M_UNKNOWN_TOKEN");
        await AssertRefusedAsync("", "M_MISSING_TOKEN");
        await probe.ReleaseAsync(Ct);
        await AssertRefusedAsync($"?access_token={Uri.EscapeDataString(grant.AccessToken)}", "M_UNKNOWN_TOKEN");
        Assert.DoesNotContain(grant.AccessToken, grant.ToString(), StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(string query, string errcode)
    {
        using var refused = await _site.Client.GetAsync($"/_matrix/federation/v1/openid/userinfo{query}", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(errcode, body.RootElement.GetProperty("errcode").GetString());
    }

    [Fact]
    public async Task A_site_without_a_server_name_reports_the_check_as_not_configured()
    {
        var service = await TargetAsync();
        await using var plain = new SiteFactory(_site.Lab, Path.Combine(Path.GetTempPath(), "matrixtester-token-" + Guid.NewGuid().ToString("N")));
        using var client = KestrelSite.Start(plain);
        using var document = JsonDocument.Parse(await client.GetStringAsync($"/api/v2/report?server_name={RtcTarget.Name}", Ct));
        var check = document.RootElement.GetProperty("matrixRtc").GetProperty("tokenCheck");
        Assert.Equal("NotConfigured", check.GetProperty("status").GetString());
        // The readiness checks reached the service (GET and OPTIONS only); no token was asked for.
        Assert.NotEmpty(service.Events("request"));
        Assert.DoesNotContain(service.Events("request"), e => (string?)e["method"] == "POST");
        // Like the two-way check, a check this tester cannot run has no section or chip on each result: its docs say so.
        var page = await client.GetDocumentAsync($"/?server_name={RtcTarget.Name}");
        Assert.NotNull(page.QuerySelector(".chip-calls"));
        Assert.Null(page.QuerySelector("#token-check"));
        Assert.Null(page.QuerySelector(".chip-token-check"));
        // Without an identity nothing under /_matrix/ is served, the userinfo endpoint included.
        using var userInfo = await client.GetAsync("/_matrix/federation/v1/openid/userinfo?access_token=x", Ct);
        Assert.Equal(HttpStatusCode.NotFound, userInfo.StatusCode);
    }
}
