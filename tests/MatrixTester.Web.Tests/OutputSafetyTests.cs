using System.Net;
using System.Text.Json;
using AngleSharp.Dom;

namespace MatrixTester.Web.Tests;

/// <summary>
/// Server-controlled strings (version, certificate subject, .well-known body, error texts) reach the page as text,
/// never as markup; JSON escapes them; every response carries the strict security headers.
/// </summary>
public sealed class OutputSafetyTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private readonly HttpClient _client = fixture.Site.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MarkupScenario.Delegated)]
    [InlineData(MarkupScenario.BadWellKnown)]
    public async Task The_report_page_the_permalink_and_the_fragment_contain_no_injected_element(string name)
    {
        await MarkupScenario.CreateAsync(fixture.Lab);
        var page = await _client.GetDocumentAsync($"/?server_name={name}");
        AssertNothingInjected(page);
        var permalink = page.QuerySelector("#report a.permalink")!.GetAttribute("href")!;
        AssertNothingInjected(await _client.GetDocumentAsync(permalink));
        AssertNothingInjected(await _client.GetDocumentAsync(permalink + "?handler=Fragment"));
    }

    [Fact]
    public async Task The_injected_strings_are_shown_as_text()
    {
        await MarkupScenario.CreateAsync(fixture.Lab);
        var page = await _client.GetDocumentAsync($"/?server_name={MarkupScenario.Delegated}");
        var text = page.QuerySelector("#report")!.TextContent;
        Assert.Contains(MarkupScenario.VersionName, text, StringComparison.Ordinal);
        Assert.Contains(MarkupScenario.VersionNumber, text, StringComparison.Ordinal);
        Assert.Contains(MarkupScenario.CertificateName, text, StringComparison.Ordinal);

        var wellKnown = await _client.GetDocumentAsync($"/?server_name={MarkupScenario.BadWellKnown}");
        Assert.Contains(MarkupScenario.WellKnownMarkup, wellKnown.QuerySelector("#report")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_reports_keep_markup_as_plain_text_and_are_never_served_as_a_page()
    {
        await MarkupScenario.CreateAsync(fixture.Lab);
        using var v2 = await _client.GetAsync($"/api/v2/report?server_name={MarkupScenario.Delegated}", Ct);
        var body = await v2.Content.ReadAsStringAsync(Ct);
        // Stored and served as UTF-8 JSON without \u escapes for HTML characters (a '<' costs one byte, not six):
        // the exact string is in the text, and only ever served as JSON that a browser will not sniff into a page.
        Assert.Contains("\"name\":" + System.Text.Json.JsonSerializer.Serialize(MarkupScenario.VersionName, Diagnostics.Reports.ReportJson.Options), body, StringComparison.Ordinal);
        Assert.Contains(MarkupScenario.VersionName, body, StringComparison.Ordinal);
        Assert.Equal("application/json", v2.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", v2.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains(MarkupScenario.VersionName, JsonStrings(body));

        // The Go-compatible report: JSON with nosniff, so a browser never treats it as a page.
        using var go = await _client.GetAsync($"/api/report?server_name={MarkupScenario.Delegated}", Ct);
        Assert.Equal("application/json", go.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", go.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains(MarkupScenario.VersionName, JsonStrings(await go.Content.ReadAsStringAsync(Ct)));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/docs")]
    [InlineData("/css/site.css")]
    [InlineData("/api/v2/results/AAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/no-such-page")]
    public async Task Every_response_carries_the_strict_security_headers(string url)
    {
        using var response = await _client.GetAsync(url, Ct);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries);
        foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" })
        {
            Assert.Contains(directive, csp);
        }
        Assert.DoesNotContain(csp, d => d.Contains("unsafe-inline", StringComparison.Ordinal) || d.Contains("unsafe-eval", StringComparison.Ordinal));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task The_busy_pages_carry_the_headers_too()
    {
        await using var site = new SiteFactory(fixture.Lab, fixture.DataDirectory, new Dictionary<string, string?> { ["Abuse:RateLimit:TokenLimit"] = "1", ["Abuse:RateLimit:TokensPerPeriod"] = "1", ["Abuse:RateLimit:ReplenishmentPeriod"] = "01:00:00" });
        var client = site.CreateClient();
        await client.GetAsync($"/?server_name={SiteFixture.Missing}", Ct);
        using var limited = await client.GetAsync($"/?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("script-src 'self'", limited.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static void AssertNothingInjected(IDocument document)
    {
        Assert.NotNull(document.QuerySelector("#report"));
        // Our own scripts only: external, from /js/.
        Assert.All(document.QuerySelectorAll("script"), s => Assert.StartsWith("/js/", s.GetAttribute("src") ?? "(inline)", StringComparison.Ordinal));
        // The only SVG is our own timeline drawing: bars and axis made of rect and line elements.
        Assert.Empty(document.QuerySelectorAll("#report img, #report svg:not(.tl-bar):not(.tl-axis-lines), #report svg :not(rect):not(line), #report iframe, #report b, #report html, #report body"));
        var handlers = document.All.SelectMany(e => e.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => a.Name).ToList();
        Assert.Empty(handlers);
        Assert.DoesNotContain(document.All, e => e.GetAttribute("src") is { } src && src.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
    }

    private static List<string> JsonStrings(string json)
    {
        var strings = new List<string>();
        using var document = JsonDocument.Parse(json);
        Collect(document.RootElement);
        return strings;

        void Collect(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    strings.Add(element.GetString()!);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item);
                    }
                    break;
            }
        }
    }
}
