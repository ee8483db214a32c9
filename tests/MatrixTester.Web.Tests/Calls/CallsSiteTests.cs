using System.Net;
using System.Text.Json;
using MatrixTester.Lab.Calls;

namespace MatrixTester.Web.Tests.Calls;

/// <summary>Calls and login through the site: the v2 report and its permalink, the live stream, the page and the compatible report.</summary>
public sealed class CallsSiteTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private readonly HttpClient _client = fixture.Site.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_working_setup_is_ready_in_the_v2_report_and_its_stored_copy()
    {
        var server = await new LabCallsServer(fixture.Lab, "ready.calls.test").StartAsync();
        using var response = await _client.GetAsync($"/api/v2/report?server_name={server.ServerName}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var live = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var rtc = live.RootElement.GetProperty("matrixRtc");
        Assert.Equal("Ready", rtc.GetProperty("status").GetString());
        Assert.Equal(server.ServiceUrl, rtc.GetProperty("services")[0].GetProperty("url").GetString());
        Assert.Equal("Ok", rtc.GetProperty("services")[0].GetProperty("cors").GetString());
        Assert.Equal("NotConfigured", rtc.GetProperty("tokenCheck").GetProperty("status").GetString());
        Assert.Equal(("Oidc", server.Issuer), (live.RootElement.GetProperty("auth").GetProperty("status").GetString(), live.RootElement.GetProperty("auth").GetProperty("issuer").GetString()));
        Assert.Equal("Works", live.RootElement.GetProperty("verdict").GetProperty("status").GetString());

        var id = response.Headers.GetValues("X-Result-Id").Single();
        using var stored = JsonDocument.Parse(await _client.GetStringAsync($"/api/v2/results/{id}", Ct));
        Assert.Equal(rtc.GetRawText(), stored.RootElement.GetProperty("matrixRtc").GetRawText());
        Assert.Equal(live.RootElement.GetProperty("auth").GetRawText(), stored.RootElement.GetProperty("auth").GetRawText());
    }

    [Fact]
    public async Task The_stream_sends_the_calls_and_login_steps_before_completed()
    {
        var server = await new LabCallsServer(fixture.Lab, "stream.calls.test") { DelayedEvents = false }.StartAsync();
        using var response = await _client.GetAsync($"/api/v2/stream?server_name={server.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = new List<Sse>();
        await foreach (var e in Sse.ReadAsync(response))
        {
            events.Add(e);
        }
        var kinds = events.Select(e => e.Event).ToList();
        Assert.True(kinds.IndexOf("client") < kinds.IndexOf("calls"), string.Join(", ", kinds));
        Assert.True(kinds.IndexOf("calls") < kinds.IndexOf("completed"));
        Assert.True(kinds.IndexOf("login") < kinds.IndexOf("completed"));
        var calls = events.Single(e => e.Event == "calls").Data;
        Assert.Equal("calls", calls.GetProperty("kind").GetString());
        Assert.Equal("Partial", calls.GetProperty("matrixRtc").GetProperty("status").GetString());
        Assert.StartsWith("Calls work partly", calls.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("rtc.delayed_events_missing", Assert.Single(calls.GetProperty("findings").EnumerateArray()).GetProperty("id").GetString());
        var login = events.Single(e => e.Event == "login").Data;
        Assert.Equal("Oidc", login.GetProperty("auth").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_broken_call_service_is_shown_on_the_page_without_changing_the_federation_headline()
    {
        var server = await new LabCallsServer(fixture.Lab, "cors.calls.test") { ServiceFault = RtcServiceFault.DuplicatedCors }.StartAsync();
        using var response = await _client.GetAsync($"/api/v2/report?server_name={server.ServerName}", Ct);
        var id = response.Headers.GetValues("X-Result-Id").Single();
        var page = await _client.GetDocumentAsync($"/r/{id}");
        var report = page.QuerySelector("#report")!;
        Assert.StartsWith("Federation works for cors.calls.test", report.QuerySelector("#verdict-title")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Other homeservers can reach it on every address tested.", report.QuerySelector(".verdict-summary")!.TextContent.Trim());
        var finding = report.QuerySelectorAll(".finding-error").Single(f => f.QuerySelector(".finding-id")?.TextContent.Contains("rtc.service_cors", StringComparison.Ordinal) == true);
        Assert.Contains("sends Access-Control-Allow-Origin twice", finding.QuerySelector("h3")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/docs/calls#service-cors", finding.QuerySelector("a.docs-link")!.GetAttribute("href"));
    }

    [Fact]
    public async Task The_compatible_report_has_no_calls_or_login_and_stays_ok()
    {
        var server = await new LabCallsServer(fixture.Lab, "go.calls.test") { ServiceFault = RtcServiceFault.HealthzDown, DocumentIssuer = "https://elsewhere.test/" }.StartAsync();
        var body = await _client.GetStringAsync($"/api/report?server_name={server.ServerName}", Ct);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("FederationOK").GetBoolean());
        Assert.Equal(["WellKnownResult", "DNSResult", "ConnectionReports", "ConnectionErrors", "Version", "FederationOK"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("livekit", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("auth.go.calls.test", body, StringComparison.Ordinal);
        Assert.Equal("GOOD", await _client.GetStringAsync($"/api/federation-ok?server_name={server.ServerName}", Ct));
    }

    [Theory]
    [InlineData("calls", "Calls (MatrixRTC)")]
    [InlineData("login", "Login (OAuth 2.0 / OIDC)")]
    public async Task The_calls_and_login_docs_pages_are_served(string slug, string title)
    {
        var page = await _client.GetDocumentAsync($"/docs/{slug}");
        Assert.Equal(title, page.QuerySelector("h1")!.TextContent.Trim());
    }
}
