using System.Net;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Web.Tests;

public sealed class DocsTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private readonly HttpClient _client = fixture.Site.CreateClient();

    public static TheoryData<string> Slugs()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "docs");
        return [.. Directory.GetFiles(folder, "*.md").Select(f => Path.GetFileNameWithoutExtension(f)).Order()];
    }

    [Fact]
    public async Task The_docs_index_lists_every_page_in_front_matter_order()
    {
        var doc = await _client.GetDocumentAsync("/docs");
        var links = doc.QuerySelectorAll(".doc-cards a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(Slugs().Select(s => $"/docs/{(string)s.Data}").Order(), links.Order());
        Assert.Equal("/docs/overview", links[0]);
    }

    [Theory]
    [MemberData(nameof(Slugs))]
    public async Task Every_page_renders_with_navigation_heading_anchors_and_links_that_resolve(string slug)
    {
        var doc = await _client.GetDocumentAsync($"/docs/{slug}");
        Assert.Equal("page", doc.QuerySelector($".docs-nav a[href='/docs/{slug}']")!.GetAttribute("aria-current"));
        var article = doc.QuerySelector("article.prose")!;
        Assert.NotNull(article.QuerySelector("h1"));
        Assert.DoesNotContain("title:", article.TextContent.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? "", StringComparison.Ordinal);
        foreach (var h in article.QuerySelectorAll("h2"))
        {
            Assert.False(string.IsNullOrEmpty(h.Id), $"{slug}: heading '{h.TextContent}' has no id");
            Assert.Equal($"#{h.Id}", h.QuerySelector("a.anchor")!.GetAttribute("href"));
        }
        foreach (var href in article.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!))
        {
            Assert.DoesNotContain(".md", href, StringComparison.Ordinal);
            if (href.StartsWith("http", StringComparison.Ordinal) || href.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            await AssertResolvesAsync(slug, href);
        }
    }

    [Fact]
    public async Task Explicit_heading_ids_from_the_markdown_become_anchors()
    {
        var doc = await _client.GetDocumentAsync("/docs/tls-certificates");
        Assert.NotNull(doc.GetElementById("getting"));
        Assert.DoesNotContain("{#", doc.QuerySelector("article")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_findings_catalog_lists_every_finding_id_with_a_working_docs_link()
    {
        var doc = await _client.GetDocumentAsync("/docs/findings");
        Assert.DoesNotContain("findings-catalog -->", doc.DocumentElement.OuterHtml, StringComparison.Ordinal);
        var rows = doc.QuerySelectorAll("table.findings-catalog tbody tr").ToList();
        Assert.Equal(FindingCatalog.All.Select(d => d.Id), rows.Select(r => r.QuerySelector("code")!.TextContent));
        // Which verdict each counts for, as docs/findings.md#verdicts explains it.
        var parts = rows.ToDictionary(r => r.QuerySelector("code")!.TextContent, r => r.QuerySelector(".finding-part")!.TextContent);
        Assert.Equal(("Federation", "For clients", "For clients", "Two-way check", "The test", "The test"),
            (parts["tls.cert.expired"], parts["client.base_url_unreachable"], parts["support.not_found"], parts["twoway.outbound_blocked"], parts["diagnosis.timed_out"], parts["server_name.invalid"]));
        foreach (var definition in FindingCatalog.All)
        {
            await AssertResolvesAsync("findings", $"/docs/{definition.Docs}");
        }
    }

    [Theory]
    [InlineData("/docs/does-not-exist")]
    [InlineData("/docs/..%2Fappsettings")]
    [InlineData("/docs/Overview")]
    [InlineData("/docs/overview.md")]
    public async Task Anything_but_a_known_slug_is_404(string url) =>
        await _client.GetDocumentAsync(url, HttpStatusCode.NotFound);

    private readonly Dictionary<string, AngleSharp.Html.Dom.IHtmlDocument> _pages = [];

    private async Task AssertResolvesAsync(string from, string href)
    {
        var hash = href.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? href : href[..hash];
        var fragment = hash < 0 ? null : href[(hash + 1)..];
        if (path.Length == 0)
        {
            path = $"/docs/{from}";
        }
        if (!_pages.TryGetValue(path, out var target))
        {
            target = _pages[path] = await _client.GetDocumentAsync(path);
        }
        if (fragment is not null)
        {
            Assert.True(target.GetElementById(fragment) is not null, $"/docs/{from}: link {href} points at a missing anchor");
        }
    }

    [Fact]
    public async Task A_docs_page_is_served_from_the_output_cache_with_security_headers_intact()
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = await _client.GetAsync("/docs/keys", ct);
        using var second = await _client.GetAsync("/docs/keys", ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
        Assert.True(second.Headers.Age is not null, "the second response should come from the output cache (Age header)");
        Assert.Equal(await first.Content.ReadAsStringAsync(ct), await second.Content.ReadAsStringAsync(ct));
        Assert.Contains("default-src 'self'", string.Join(" ", second.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}
