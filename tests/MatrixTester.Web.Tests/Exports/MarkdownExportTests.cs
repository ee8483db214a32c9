using System.Net;
using AngleSharp.Html.Parser;
using Markdig;

namespace MatrixTester.Web.Tests.Exports;

/// <summary>
/// <c>/r/{id}.md</c> for a healthy, a broken and a hostile lab server: what it says, that it fits a chat message, and
/// that it renders as we wrote it in a Markdown reader like GitHub's (Markdig with its GitHub-like extensions,
/// autolinks included), whatever the server sent.
/// </summary>
public sealed class MarkdownExportTests(ExportFixture fixture) : IClassFixture<ExportFixture>
{
    private static readonly MarkdownPipeline GitHubLike = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Id, string Markdown)> ExportAsync(string name, string query = "")
    {
        var client = fixture.Site.CreateClient();
        var id = await fixture.RunAsync(client, name);
        using var response = await client.GetAsync($"/r/{id}.md{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var markdown = await response.Content.ReadAsStringAsync(Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"{markdown.Length} characters:\n{markdown}");
        return (id, markdown);
    }

    private static AngleSharp.Dom.IDocument Render(string markdown) => new HtmlParser().ParseDocument(Markdown.ToHtml(markdown, GitHubLike));

    [Fact]
    public async Task A_healthy_result_says_it_works_lists_every_check_and_links_its_permalink()
    {
        var (id, markdown) = await ExportAsync(ExportFixture.Healthy);

        Assert.StartsWith($"### ✓ Federation works for {ExportFixture.Healthy}\n", markdown, StringComparison.Ordinal);
        Assert.Contains("IPv4: **works** · IPv6: **no address** · Clients: **works** · Calls: **not offered** · Login: **classic** · 0 errors, 0 warnings", markdown, StringComparison.Ordinal);
        // The calls and login lines of the checklist, as on the result page: choices, noted.
        Assert.Contains("- i Calls \\(MatrixRTC\\): not offered\\: no call service published \\(optional\\)\n", markdown, StringComparison.Ordinal);
        Assert.Contains("- i Login: the classic login API \\(password or single sign-on\\)\\: normal\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"- ✓ Server name: {ExportFixture.Healthy} is a valid server name\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"- ✓ Delegation \\(.well-known\\): delegates to hs.{ExportFixture.Healthy}\\:8448\n", markdown, StringComparison.Ordinal);
        Assert.Matches(@"\n- ✓ 127\.\d+\.\d+\.\d+\\:8448: all federation checks passed \(Synapse 1\.140\.0\)\n", markdown);
        Assert.Contains("**Nothing to fix**", markdown, StringComparison.Ordinal);
        Assert.Contains("- Software: Synapse 1.140.0\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"- Clients are sent to: https\\://hs.{ExportFixture.Healthy}\\:8448\n", markdown, StringComparison.Ordinal);
        Assert.InRange(markdown.Length, 600, 2500);

        var html = Render(markdown);
        Assert.Equal($"✓ Federation works for {ExportFixture.Healthy}", html.QuerySelector("h3")!.TextContent);
        Assert.Equal([$"{ExportFixture.PublicUrl}/r/{id}"], html.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        // The facts fold away: a details block whose summary is ours, with the list inside it.
        Assert.Contains("<details><summary>Key facts</summary>", markdown, StringComparison.Ordinal);
        Assert.Matches(@"<details><summary>Key facts</summary>\n\n(- [^\n]+\n)+\n</details>\n", markdown);
    }

    [Fact]
    public async Task A_broken_result_gives_each_problem_with_its_fix_and_docs_under_four_thousand_characters()
    {
        var (_, markdown) = await ExportAsync(ExportFixture.Expired);

        Assert.StartsWith($"### ✗ Federation is broken for {ExportFixture.Expired}\n", markdown, StringComparison.Ordinal);
        Assert.Contains("IPv4: **broken**", markdown, StringComparison.Ordinal);
        Assert.Matches(@"\n  - ✗ Certificate: [^\n]+\n", markdown);
        Assert.Matches(@"\n1\. \*\*Error\*\*: [^\n]+ `tls\.cert\.expired`  \n   Fix: [^\n]+ \[Docs\]\(https://tester\.example\.org/docs/tls-certificates#expired\)\n", markdown);
        Assert.Matches(@"- Certificate \\\(127\.[0-9.]+\\:8448\\\): hs\.expired\.export\.test; expired \d{4}-\d\d-\d\d; issued by [^\n]+\n", markdown);
        Assert.True(markdown.Length < 4000, $"The export of a broken result is {markdown.Length} characters, more than a chat message should be.");

        var html = Render(markdown);
        Assert.Contains(html.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"{ExportFixture.PublicUrl}/docs/tls-certificates#expired");
        Assert.Contains(html.QuerySelectorAll("code"), c => c.TextContent == "tls.cert.expired");
    }

    [Fact]
    public async Task A_German_admin_gets_the_export_in_German_with_the_servers_values_unchanged()
    {
        var (id, markdown) = await ExportAsync(ExportFixture.Expired, "?lang=de");

        Assert.StartsWith($"### ✗ Federation ist kaputt für {ExportFixture.Expired}\n", markdown, StringComparison.Ordinal);
        Assert.Contains("**Checkliste**", markdown, StringComparison.Ordinal);
        Assert.Matches(@"\n1\. \*\*[^\n*]+\*\*: [^\n]+ `tls\.cert\.expired`  \n   Lösung: Erneuern Sie das Zertifikat [^\n]+ \[Doku\]\(https://tester\.example\.org/docs/tls-certificates#expired\)\n", markdown);
        Assert.Matches(@"- Zertifikat \\\(127\.[0-9.]+\\:8448\\\): hs\.expired\.export\.test; abgelaufen am \d{4}-\d\d-\d\d; ausgestellt von [^\n]+\n", markdown);
        Assert.Contains("<details><summary>Die wichtigsten Fakten</summary>", markdown, StringComparison.Ordinal);
        Assert.Matches(@"\n---\n\[[^\n]+\]\(https://tester\.example\.org/r/" + id + @"\) · getestet am \d{4}-\d\d-\d\d \d\d\\:\d\d UTC in ", markdown);
        Assert.DoesNotContain("Fix:", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Key facts", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_follows_the_language_a_visitor_chose_without_lang_in_its_address()
    {
        var client = fixture.Site.CreateClient();
        var id = await fixture.RunAsync(client, ExportFixture.Healthy);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{id}.md");
        request.Headers.AcceptLanguage.ParseAdd("de");
        using var response = await client.SendAsync(request, Ct);
        var markdown = await response.Content.ReadAsStringAsync(Ct);

        Assert.StartsWith($"### ✓ Federation funktioniert für {ExportFixture.Healthy}\n", markdown, StringComparison.Ordinal);
        Assert.Contains("**Nichts zu beheben**", markdown, StringComparison.Ordinal);
        // Without ?lang= the words depend on the request: no shared cache may keep them for someone else.
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.False(response.Headers.CacheControl.Public);
    }

    [Fact]
    public async Task What_a_hostile_server_sends_is_text_in_the_export_never_a_link_heading_image_or_mention()
    {
        var (id, markdown) = await ExportAsync(ExportFixture.Hostile);

        var html = Render(markdown);
        var links = html.QuerySelectorAll("a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, href => Assert.StartsWith(ExportFixture.PublicUrl + "/", href, StringComparison.Ordinal));
        Assert.Single(html.QuerySelectorAll("h1, h2, h3, h4, h5, h6"));
        Assert.Empty(html.QuerySelectorAll("img, table, strong em, del, script"));
        Assert.DoesNotContain(html.QuerySelectorAll("strong"), s => s.TextContent == "bold");
        // The words arrive as text, on the line they were put in.
        Assert.Contains("Synapse](https://evil.example/steal) [click me](https://evil.example/a) <img src=x onerror=alert(1)> # Owned @room `tick` | cell | www.evil.example **bold** _it_ ~~gone~~ &lt;b&gt;",
            html.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("\n# Owned", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("\n@room", markdown, StringComparison.Ordinal);
        Assert.Contains("\\@room", markdown, StringComparison.Ordinal);
        Assert.Contains($"]({ExportFixture.PublicUrl}/r/{id})", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_not_found()
    {
        var client = fixture.Site.CreateClient();
        using var unknown = await client.GetAsync("/r/AAAAAAAAAAAAAAAAAAAAAAAA.md", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var malformed = await client.GetAsync("/r/..%2F..%2Fetc.md", Ct);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    [Fact]
    public async Task The_result_page_offers_the_export_beside_run_again()
    {
        var client = fixture.Site.CreateClient();
        var id = await fixture.RunAsync(client, ExportFixture.Healthy);
        var page = await client.GetDocumentAsync($"/r/{id}");
        var copy = page.QuerySelector(".report-actions a.copy-markdown[data-copy-markdown]")!;
        Assert.Equal($"/r/{id}.md?lang=en", copy.GetAttribute("href"));
        Assert.Equal("Copy for a support room", copy.TextContent);
    }
}
