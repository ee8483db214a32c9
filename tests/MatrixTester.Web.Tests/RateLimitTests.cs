using System.Net;
using MatrixTester.Web.Abuse;
using MatrixTester.Web.Diagnoses;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests;

/// <summary>Per client token bucket on requests that start a diagnosis; X-Forwarded-For only from configured proxies.</summary>
public sealed class RateLimitTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SiteFactory Site(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Abuse:RateLimit:TokenLimit"] = "2",
            ["Abuse:RateLimit:TokensPerPeriod"] = "1",
            ["Abuse:RateLimit:ReplenishmentPeriod"] = "00:10:00",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return new SiteFactory(fixture.Lab, fixture.DataDirectory, all);
    }

    [Fact]
    public async Task Past_the_bucket_a_client_gets_429_with_retry_after_as_text_for_apis_and_a_page_for_people()
    {
        await using var site = Site();
        var client = site.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/federation-ok?server_name={SiteFixture.Missing}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct)).StatusCode);

        using var api = await client.GetAsync($"/api/report?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        var retryAfter = int.Parse(api.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal("text/plain", api.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"try again in {retryAfter} seconds", await api.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var stream = await client.GetAsync($"/api/v2/stream?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, stream.StatusCode);

        var page = await client.GetDocumentAsync($"/?server_name={SiteFixture.Missing}", HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many tests", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("try again in", page.QuerySelector(".retry-after")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_429_page_is_the_sites_own_page_with_its_header_and_navigation()
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "1"));
        var client = site.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct)).StatusCode);
        var normal = await client.GetDocumentAsync("/no-such-page", HttpStatusCode.NotFound);

        using var refused = await client.GetAsync($"/?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(refused.Headers.GetValues("Retry-After"));
        Assert.True(refused.Headers.CacheControl?.NoStore);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync(Ct));

        // The same header and navigation as every other page, the refusal in the main area, the page's own title. The
        // language switch links the page that was asked for, so it is compared on its own.
        Assert.Equal($"/?server_name={SiteFixture.Missing}&lang=de", page.QuerySelector("nav.languages a[hreflang=de]")?.GetAttribute("href"));
        Assert.Equal("/no-such-page?lang=de", normal.QuerySelector("nav.languages a[hreflang=de]")?.GetAttribute("href"));
        normal.QuerySelector("nav.languages")!.Remove();
        page.QuerySelector("nav.languages")?.Remove();
        Assert.Equal(normal.QuerySelector("header.site-header")!.OuterHtml, page.QuerySelector("header.site-header")?.OuterHtml);
        Assert.NotNull(page.QuerySelector("footer.site-footer"));
        Assert.Equal("Too many tests from your address", page.QuerySelector("main h1")!.TextContent);
        Assert.Equal("Too many tests from your address · MatrixTester", page.Title);
    }

    [Fact]
    public async Task Docs_static_files_permalinks_fragments_and_the_live_page_shell_are_never_limited()
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "1"));
        var client = site.CreateClient();
        using var first = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct);
        var id = first.Headers.GetValues("X-Result-Id").Single();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct)).StatusCode);
        foreach (var url in new[] { "/", "/docs", "/css/site.css", $"/r/{id}", $"/r/{id}?handler=Fragment", $"/api/v2/results/{id}", $"/?stream=1&server_name={SiteFixture.Missing}", "/healthz" })
        {
            for (var i = 0; i < 3; i++)
            {
                using var response = await client.GetAsync(url, Ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            }
        }
    }

    public static TheoryData<string, string> Doors() => new()
    {
        { "GET", $"/?server_name={SiteFixture.Missing}" },
        // Razor Pages runs the GET handler for HEAD, and the unnamed GET handler for a handler name it does not know.
        { "HEAD", $"/?server_name={SiteFixture.Missing}" },
        { "GET", $"/?server_name={SiteFixture.Missing}&handler=Anything" },
        { "HEAD", $"/?handler=x&server_name={SiteFixture.Missing}" },
        { "GET", $"/?server_name={SiteFixture.Missing}&stream=0" },
        { "GET", $"/api/report?server_name={SiteFixture.Missing}" },
        { "GET", $"/api/federation-ok?server_name={SiteFixture.Missing}" },
        { "GET", $"/api/v2/report?server_name={SiteFixture.Missing}" },
        { "GET", $"/api/v2/stream?server_name={SiteFixture.Missing}" },
        { "GET", $"/probe?target={SiteFixture.Missing}" },
    };

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task Every_door_to_a_diagnosis_takes_a_token_from_the_one_bucket(string method, string url)
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "1"));
        var client = site.CreateClient();
        var shared = site.Services.GetRequiredService<SharedDiagnoses>();
        using (var first = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        Assert.Equal(1, shared.RunsStarted);
        using var same = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, same.StatusCode);
        using var other = await client.GetAsync($"/api/federation-ok?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, other.StatusCode);
        Assert.Equal(1, shared.RunsStarted);
    }

    [Theory]
    [InlineData("HEAD", "/api/v2/report")]
    [InlineData("POST", "/api/v2/report")]
    [InlineData("HEAD", "/api/v2/stream")]
    [InlineData("PUT", "/probe")]
    [InlineData("POST", "/")]
    [InlineData("DELETE", "/")]
    [InlineData("POST", "/?handler=Fragment")]
    public async Task A_method_that_reaches_no_diagnosis_is_refused_before_admission_and_takes_no_token(string method, string path)
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "1"));
        var client = site.CreateClient();
        var query = (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + (path == "/probe" ? "target=" : "server_name=") + SiteFixture.Missing;
        using var refused = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path + query), Ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
        Assert.Equal(0, site.Services.GetRequiredService<SharedDiagnoses>().RunsStarted);
        using var counted = await client.GetAsync($"/api/federation-ok?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
    }

    [Fact]
    public async Task The_scheduled_checks_are_outside_the_rate_limit()
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "1"));
        var admission = site.Services.GetRequiredService<DiagnosisAdmission>();
        var visitor = new DiagnosisClient("203.0.113.5", RateLimited: true);
        Assert.Null(admission.Admit(SiteFixture.Missing, fresh: false, visitor).Refused);
        Assert.Equal(RefusalReason.RateLimited, admission.Admit(SiteFixture.Good, fresh: false, visitor).Refused?.Reason);
        Assert.Null(admission.Admit(SiteFixture.Good, fresh: false, DiagnosisClient.ScheduledChecks).Refused);
        Assert.Null(admission.Admit("other." + SiteFixture.Good, fresh: false, DiagnosisClient.ScheduledChecks).Refused);
    }

    [Fact]
    public void Exactly_the_endpoints_that_create_a_watch_declare_the_watch_limit_and_its_message()
    {
        var limited = fixture.Site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == MatrixTester.Web.Watches.WatchServices.CreateLimit.Name)
            .ToArray();
        Assert.Equal(["/api/v2/watches", "/watch"], limited.Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(MatrixTester.Web.Watches.WatchServices.CreateLimit, fixture.Site.Services.GetServices<MatrixTester.Web.Abuse.RateLimitPolicy>());
    }

    [Fact]
    public async Task X_forwarded_for_from_a_configured_proxy_gives_each_forwarded_client_its_own_bucket()
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "1"), ("Abuse:KnownProxies:0", "127.0.0.1"));
        using var client = KestrelSite.Start(site);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "203.0.113.2"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "2001:db8::1"));
        // The same /64: one household, one bucket.
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, "2001:db8::2"));
    }

    [Fact]
    public async Task X_forwarded_for_from_anybody_else_is_ignored()
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "1"));
        using var client = KestrelSite.Start(site);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "203.0.113.1"));
        // A new forwarded address does not buy a new bucket: the connection's own address (127.0.0.1) counts.
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, "203.0.113.2"));
    }

    [Fact]
    public async Task A_proxy_network_in_cidr_notation_is_honoured_too()
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "1"), ("Abuse:KnownNetworks:0", "127.0.0.0/8"));
        using var client = KestrelSite.Start(site);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "198.51.100.7"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "198.51.100.8"));
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/federation-ok?server_name={SiteFixture.Missing}");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
