using System.Net;

namespace MatrixTester.Web.Tests;

/// <summary>The pages without JavaScript: form, server-rendered results, permalinks, history, errors, headers.</summary>
public sealed class PageTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private readonly HttpClient _client = fixture.Site.CreateClient();

    [Fact]
    public async Task Homepage_has_a_labelled_server_name_field_with_the_matrix_id_hint_and_a_GET_form()
    {
        var doc = await _client.GetDocumentAsync("/");
        var form = doc.QuerySelector("form#check-form")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/", form.GetAttribute("action"));
        var input = form.QuerySelector("input[name=server_name]")!;
        Assert.Equal("Server name", doc.QuerySelector($"label[for={input.Id}]")!.TextContent.Trim());
        Assert.Contains("the part after the colon in your Matrix ID", doc.GetElementById(input.GetAttribute("aria-describedby")!)!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Null(doc.QuerySelector("#report"));
    }

    [Fact]
    public async Task Pages_load_only_local_assets_and_no_inline_script_or_style()
    {
        var doc = await _client.GetDocumentAsync("/");
        Assert.All(doc.Scripts, s => Assert.StartsWith("/", s.Source));
        Assert.All(doc.QuerySelectorAll("link[rel=stylesheet]"), l => Assert.StartsWith("/", l.GetAttribute("href")));
        Assert.Empty(doc.QuerySelectorAll("style, [style]"));
        foreach (var asset in doc.Scripts.Select(s => s.Source!).Concat(doc.QuerySelectorAll("link[rel=stylesheet], link[rel=icon]").Select(l => l.GetAttribute("href")!)))
        {
            using var response = await _client.GetAsync(asset, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var response = await _client.GetAsync("/", TestContext.Current.CancellationToken);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Without_javascript_the_server_runs_the_diagnosis_and_renders_the_finished_report()
    {
        var doc = await _client.GetDocumentAsync($"/?server_name={SiteFixture.Missing}");
        var report = doc.QuerySelector("#report")!;
        Assert.Contains("Federation is broken", report.QuerySelector("#verdict-title")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(SiteFixture.Missing, report.QuerySelector("#verdict-title")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("does not exist in DNS", report.QuerySelector(".verdict-summary")!.TextContent, StringComparison.Ordinal);
        var finding = report.QuerySelector(".finding-error")!;
        Assert.False(string.IsNullOrWhiteSpace(finding.QuerySelector("h3")!.TextContent));
        Assert.StartsWith("/docs/", finding.QuerySelector("a.docs-link")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Matches("^/r/[A-Za-z0-9_-]{24}$", report.QuerySelector("a.permalink")!.GetAttribute("href")!);
        Assert.Equal(SiteFixture.Missing, doc.QuerySelector("input[name=server_name]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_healthy_lab_server_renders_a_verdict_with_both_address_families_and_technical_details()
    {
        var doc = await _client.GetDocumentAsync($"/?server_name={SiteFixture.Good}");
        var report = doc.QuerySelector("#report")!;
        Assert.NotNull(report.QuerySelector(".verdict"));
        var families = report.QuerySelectorAll(".families li").Select(li => li.TextContent).ToList();
        Assert.Contains(families, f => f.StartsWith("IPv4:", StringComparison.Ordinal));
        Assert.Contains(families, f => f.StartsWith("IPv6:", StringComparison.Ordinal));
        // The discovery tree shows what .well-known delegated to, whatever the engine's record looks like.
        Assert.Contains($"hs.{SiteFixture.Good}:8448", report.QuerySelector(".details")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_family_that_fails_is_named_in_the_verdict_and_its_address_in_the_findings()
    {
        var name = await fixture.SplitFamilyServerAsync();
        var doc = await _client.GetDocumentAsync($"/?server_name={name}");
        var report = doc.QuerySelector("#report")!;
        Assert.Contains("verdict-bad", report.QuerySelector(".verdict")!.ClassList);
        var families = report.QuerySelectorAll(".families li").Select(li => li.TextContent).ToList();
        Assert.Contains("IPv4: works", families);
        Assert.Contains("IPv6: broken", families);
        Assert.Contains(report.QuerySelectorAll(".finding-error .finding-subject code"), c => c.TextContent.StartsWith("[::1]:", StringComparison.Ordinal));
        var connections = report.QuerySelectorAll(".details > .detail-block > summary").Select(s => s.TextContent).ToList();
        Assert.Contains(connections, c => c.Contains("[::1]:", StringComparison.Ordinal) && c.Contains("failed", StringComparison.Ordinal));
        Assert.Contains(connections, c => c.Contains("passed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_server_name_renders_a_report_that_explains_why_and_encodes_the_input()
    {
        var doc = await _client.GetDocumentAsync("/?server_name=" + Uri.EscapeDataString("<script>alert(1)</script>"));
        Assert.Empty(doc.QuerySelectorAll("main script"));
        var report = doc.QuerySelector("#report")!;
        Assert.Contains("<script>", report.QuerySelector("#verdict-title")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(report.QuerySelectorAll(".finding-id"), f => f.TextContent.StartsWith("server_name.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Over_long_input_is_refused_with_400_before_any_work()
    {
        var doc = await _client.GetDocumentAsync("/?server_name=" + new string('a', 2000), HttpStatusCode.BadRequest);
        Assert.Contains("too long", doc.QuerySelector(".field-error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(doc.QuerySelector("#report"));
    }

    [Fact]
    public async Task Stream_mode_renders_the_form_and_the_live_area_without_running_the_diagnosis()
    {
        var doc = await _client.GetDocumentAsync($"/?stream=1&server_name={SiteFixture.Missing}");
        Assert.Equal(SiteFixture.Missing, doc.QuerySelector("#live")!.GetAttribute("data-autostart"));
        Assert.Null(doc.QuerySelector("#report"));
        Assert.Equal("log", doc.QuerySelector("#live-groups")!.GetAttribute("role"));
        Assert.Equal("polite", doc.QuerySelector("#now-checking")!.GetAttribute("aria-live"));
    }

    [Fact]
    public async Task Unknown_pages_and_unknown_result_ids_answer_404_with_a_page()
    {
        var doc = await _client.GetDocumentAsync("/no-such-page", HttpStatusCode.NotFound);
        Assert.Equal("Page not found", doc.QuerySelector("h1")!.TextContent);
        await _client.GetDocumentAsync("/r/AAAAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.NotFound);
        await _client.GetDocumentAsync("/r/..%2F..%2Fetc%2Fpasswd", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_site_link_on_the_homepage_resolves()
    {
        var doc = await _client.GetDocumentAsync("/");
        var links = doc.QuerySelectorAll("a[href^='/']").Select(a => a.GetAttribute("href")!.Split('#')[0]).Distinct().ToList();
        Assert.Contains("/docs", links);
        foreach (var link in links)
        {
            using var response = await _client.GetAsync(link, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Healthz_answers_healthy()
    {
        using var response = await _client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
