using MatrixTester.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests;

/// <summary>The glance pictures in the server-rendered HTML (no JavaScript), and the site's address in the engine's User-Agent.</summary>
public sealed class GlancePageTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private readonly HttpClient _client = fixture.Site.CreateClient();

    [Fact]
    public async Task A_healthy_permalink_renders_checklist_path_and_timeline_from_the_stored_report()
    {
        var live = await _client.GetDocumentAsync($"/?server_name={SiteFixture.Good}");
        var permalink = live.QuerySelector("#report a.permalink")!.GetAttribute("href")!;
        var doc = await _client.GetDocumentAsync(permalink);
        var report = doc.QuerySelector("#report")!;

        var lines = report.QuerySelectorAll(".checklist .check-line");
        Assert.Contains(lines, l => l.TextContent.Contains("Server name", StringComparison.Ordinal) && l.ClassList.Contains("check-passed"));
        // The state is written out, not only coloured.
        Assert.All(lines, l => Assert.Matches("^(Passed|Warning|Failed|Note|Not tested|Not finished)$", l.QuerySelector(".check-state")!.TextContent));
        Assert.All(report.QuerySelectorAll(".check-line a"), a => Assert.Matches("^(#detail-|/docs/)", a.GetAttribute("href")!));
        Assert.All(report.QuerySelectorAll(".check-line a[href^='#']"), a => Assert.NotNull(doc.GetElementById(a.GetAttribute("href")![1..])));

        var nodes = report.QuerySelectorAll(".discovery-path .path-node h3").Select(h => h.TextContent).ToList();
        Assert.Contains(nodes, n => n.Contains(".well-known/matrix/server", StringComparison.Ordinal));
        Assert.Contains(report.QuerySelectorAll(".path-edge"), e => e.TextContent.Contains("step 3.2", StringComparison.Ordinal));

        var rows = report.QuerySelectorAll("#timeline .tl-row");
        Assert.Contains(rows, r => r.TextContent.Contains("A hs.good.example.test", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.TextContent.Contains("GET /_matrix/key/v2/server", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.TextContent.Contains("connect 127.", StringComparison.Ordinal) && r.TextContent.Contains("TLS handshake", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.NotNull(r.QuerySelector("svg.tl-bar[aria-hidden=true] rect.tl-seg")));
        Assert.Empty(doc.QuerySelectorAll("[style], style"));
    }

    [Fact]
    public async Task The_support_file_is_a_note_with_a_suggestion_not_a_problem()
    {
        var doc = await _client.GetDocumentAsync($"/?server_name={SiteFixture.Good}");
        var report = doc.QuerySelector("#report")!;
        Assert.Equal("Nothing to fix", report.QuerySelector("#findings-title")!.TextContent);
        var note = report.QuerySelectorAll(".notes .finding").Single(f => f.TextContent.Contains("support.not_found", StringComparison.Ordinal));
        Assert.StartsWith("Suggestion:", note.QuerySelector(".finding-fix")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_broken_verdict_second_line_names_the_first_problem_instead_of_repeating_the_headline()
    {
        var doc = await _client.GetDocumentAsync($"/?server_name={SiteFixture.Missing}");
        var summary = doc.QuerySelector("#report .verdict-summary")!.TextContent;
        Assert.DoesNotContain("Federation is broken", summary, StringComparison.Ordinal);
        Assert.Contains("does not exist in DNS", summary, StringComparison.Ordinal);
        Assert.Contains("Other homeservers cannot deliver messages to it.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Site_PublicUrl_goes_into_the_engine_user_agent()
    {
        using var site = new SiteFactory(fixture.Lab, fixture.DataDirectory, new Dictionary<string, string?> { ["Site:PublicUrl"] = "https://tester.example.org/" });
        var options = site.Services.GetRequiredService<IOptions<DiagnosisOptions>>().Value;
        Assert.Equal($"MatrixTester/{DiagnosisOptions.EngineVersion} (+https://tester.example.org/)", options.UserAgent);
        Assert.Equal($"MatrixTester/{DiagnosisOptions.EngineVersion}", fixture.Site.Services.GetRequiredService<IOptions<DiagnosisOptions>>().Value.UserAgent);
    }
}
