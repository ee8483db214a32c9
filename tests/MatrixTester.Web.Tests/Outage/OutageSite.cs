using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using MatrixTester.Lab;

namespace MatrixTester.Web.Tests.Outage;

/// <summary>
/// The real site process on a store the test breaks and repairs, and the checks every phase of an outage makes
/// through every route: the page (no-JS and the live page's pieces), the stream, the compatible and v2 APIs, the
/// permalink routes, /healthz and /metrics.
/// </summary>
internal sealed partial class OutageSite(SiteProcess site, string serverName) : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _client = new() { BaseAddress = site.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public SiteProcess Process => site;

    public static Dictionary<string, string> Environment(SiteFixture fixture, string dataDirectory) => new()
    {
        ["Diagnosis__NameServers__0"] = fixture.Lab.Dns.EndPoint.ToString(),
        ["Diagnosis__ExtraTrustedRoots"] = FederationLab.RootPemPath,
        ["Diagnosis__AllowPrivateNetworks"] = "true",
        ["Diagnosis__OverallDeadline"] = "00:00:30",
        ["Storage__DataDirectory"] = dataDirectory,
        // Short, so the test sees the circuit open, probe and close within seconds.
        ["Storage__BreakDuration"] = "00:00:01",
        ["Metrics__Enabled"] = "true",
        ["Abuse__RateLimit__TokenLimit"] = "100000",
        ["Abuse__RateLimit__TokensPerPeriod"] = "100000",
        ["Abuse__ReuseWindow"] = "00:00:00",
        ["Abuse__RunAgainMinimumInterval"] = "00:00:00",
        // Information: the outage lines are Warning/Information; requests and diagnoses log at Information too.
        ["Serilog__MinimumLevel__Default"] = "Information",
    };

    /// <summary>A diagnosis through every route that runs one, all saved; returns the permalink id of one of them.</summary>
    public async Task<string> DiagnosesAreSavedAsync()
    {
        var page = await PageAsync($"/?server_name={serverName}");
        var permalink = page.QuerySelector("a.permalink")?.GetAttribute("href");
        Assert.NotNull(permalink);
        Assert.Null(page.QuerySelector(".not-saved"));

        var events = await StreamAsync();
        Assert.Contains("permalink", events.Select(e => e.Event));
        Assert.Equal("completed", events[^1].Event);

        using var report = await GetAsync($"/api/report?server_name={serverName}", HttpStatusCode.OK);
        Assert.True(report.Headers.Contains("X-Result-Id"));
        Assert.Equal("GOOD", await TextAsync($"/api/federation-ok?server_name={serverName}", HttpStatusCode.OK));

        using var v2 = await GetAsync($"/api/v2/report?server_name={serverName}", HttpStatusCode.OK);
        var id = v2.Headers.GetValues("X-Result-Id").Single();
        Assert.Equal($"/r/{id}", v2.Headers.Location?.OriginalString);
        return id;
    }

    /// <summary>Every route that runs a diagnosis still answers 200 with the diagnosis, and says it was not saved.</summary>
    public async Task DiagnosesWorkUnsavedAsync()
    {
        var page = await PageAsync($"/?server_name={serverName}");
        Assert.Null(page.QuerySelector("a.permalink"));
        Assert.Contains("could not be saved", page.QuerySelector(".not-saved")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Federation works", page.QuerySelector("#verdict-title")?.TextContent, StringComparison.Ordinal);

        // The live page: the stream says "notice" instead of "permalink", and the report comes from this instance's memory.
        var events = await StreamAsync();
        Assert.DoesNotContain("permalink", events.Select(e => e.Event));
        var notice = events.Single(e => e.Event == "notice");
        Assert.Contains("could not be saved", notice.Data.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", events[^1].Event);
        var fragment = await PageAsync($"/?handler=Fragment&server_name={serverName}");
        Assert.NotNull(fragment.QuerySelector("#report .not-saved"));

        using var report = await GetAsync($"/api/report?server_name={serverName}", HttpStatusCode.OK);
        Assert.False(report.Headers.Contains("X-Result-Id"));
        using (var go = JsonDocument.Parse(await report.Content.ReadAsStringAsync(Ct)))
        {
            Assert.True(go.RootElement.GetProperty("FederationOK").GetBoolean());
        }
        Assert.Equal("GOOD", await TextAsync($"/api/federation-ok?server_name={serverName}", HttpStatusCode.OK));

        using var v2 = await GetAsync($"/api/v2/report?server_name={serverName}", HttpStatusCode.OK);
        Assert.False(v2.Headers.Contains("X-Result-Id"));
        Assert.Null(v2.Headers.Location);
        Assert.Contains("could not be saved", v2.Headers.GetValues("X-Notice").Single(), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await v2.Content.ReadAsStringAsync(Ct));
        Assert.Contains("could not be saved", body.RootElement.GetProperty("notice").GetString(), StringComparison.Ordinal);
        Assert.True(body.RootElement.GetProperty("verdict").GetProperty("federationOk").GetBoolean());
    }

    /// <summary>The permalink routes serve <paramref name="id"/>, its JSON and the name's history.</summary>
    public async Task<string> PermalinkOpensAsync(string id)
    {
        var page = await PageAsync($"/r/{id}");
        Assert.Contains(serverName, page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        await PageAsync($"/r/{id}?handler=Fragment");
        var history = await PageAsync($"/s/{serverName}");
        Assert.Contains($"/r/{id}", history.QuerySelectorAll("table.history a").Select(a => a.GetAttribute("href")));
        return await TextAsync($"/api/v2/results/{id}", HttpStatusCode.OK);
    }

    /// <summary>The permalink routes answer 503 with Retry-After: the error page for people, problem details for the API.</summary>
    public async Task PermalinksAnswer503Async(string id)
    {
        foreach (var url in new[] { $"/r/{id}", $"/r/{id}?handler=Fragment", $"/s/{serverName}" })
        {
            using var response = await GetAsync(url, HttpStatusCode.ServiceUnavailable);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, url);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Contains("Stored results are unavailable", body, StringComparison.Ordinal);
            Assert.Contains("<header class=\"site-header\">", body, StringComparison.Ordinal);
        }
        using var api = await GetAsync($"/api/v2/results/{id}", HttpStatusCode.ServiceUnavailable);
        Assert.True(api.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync(Ct));
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("unavailable", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal((int)api.Headers.RetryAfter!.Delta!.Value.TotalSeconds, problem.RootElement.GetProperty("retryAfter").GetInt32());
    }

    /// <summary>Watches live in the same database: creating or confirming one answers 503 too, never 500.</summary>
    public async Task WatchesAnswer503Async()
    {
        using var create = await _client.PostAsync("/api/v2/watches", JsonContent.Create(new { server_name = serverName, webhook = "https://hooks.example.test/matrix" }), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.True(create.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var confirm = await GetAsync("/watches/confirm?token=" + new string('A', 43), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Stored results are unavailable", await confirm.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    public async Task HealthIsAsync(HttpStatusCode expected) => await GetAsync("/healthz", expected);

    /// <summary>Polls /healthz until it answers <paramref name="expected"/> (the recovery probe runs every second).</summary>
    public async Task WaitForHealthAsync(HttpStatusCode expected)
    {
        for (var i = 0; i < 300; i++)
        {
            using var response = await _client.GetAsync("/healthz", Ct);
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            if (response.StatusCode == expected)
            {
                return;
            }
            await Task.Delay(100, Ct);
        }
        Assert.Fail($"/healthz did not become {(int)expected} within 30 s.\n{site.Output}");
    }

    /// <summary>The store series on /metrics: available now (1/0) and outages so far.</summary>
    public async Task MetricsShowAsync(int available, int outages)
    {
        var text = await TextAsync("/metrics", HttpStatusCode.OK);
        Assert.Matches(new Regex($@"(?m)^matrixtester_store_available(\{{[^}}]*\}})? {available}( [0-9]+)?$"), text);
        Assert.Matches(new Regex($@"(?m)^matrixtester_store_outages_total(\{{[^}}]*\}})? {outages}( [0-9]+)?$"), text);
    }

    /// <summary>The outage is logged once when it starts and once when it ends, however many requests met it.</summary>
    public void LogShowsOneOutage()
    {
        var lines = site.Output.Split('\n');
        var start = Assert.Single(lines, l => l.Contains("Result store unavailable", StringComparison.Ordinal));
        var end = Assert.Single(lines, l => l.Contains("Result store available again", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine(start + "\n" + end);
        // A 500 in the request log, or an exception that reached ASP.NET Core's handler. Not " 500 " anywhere: a
        // diagnosis line that took 500 ms says "in 500 ms". Whole lines in the message: which request failed matters.
        var failed = string.Join('\n', lines.Where(l => l.Contains("responded 500 ", StringComparison.Ordinal)
            || l.Contains("An unhandled exception has occurred", StringComparison.Ordinal)));
        Assert.True(failed.Length == 0, "A request failed:\n" + failed);
    }

    public void Dispose() => _client.Dispose();

    private async Task<List<Sse>> StreamAsync()
    {
        using var response = await _client.GetAsync($"/api/v2/stream?server_name={serverName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<Sse>();
        await foreach (var e in Sse.ReadAsync(response))
        {
            events.Add(e);
        }
        return events;
    }

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(string url)
    {
        using var response = await GetAsync(url, HttpStatusCode.OK);
        return await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> TextAsync(string url, HttpStatusCode expected)
    {
        using var response = await GetAsync(url, expected);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private async Task<HttpResponseMessage> GetAsync(string url, HttpStatusCode expected)
    {
        var response = await _client.GetAsync(url, Ct);
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.Dispose();
            Assert.Fail($"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}\n{body[..Math.Min(body.Length, 1500)]}\n--- site log ---\n{site.Output[Math.Max(0, site.Output.Length - 4000)..]}");
        }
        return response;
    }
}
