using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.History;

/// <summary>The history picture and a comparison in Debian's chromium, with and without JavaScript.</summary>
public sealed class HistoryBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<(SwappableServer Server, string[] Ids)> WorksThenBreaksAsync(string name)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        var server = await SwappableServer.StartAsync(fixture.Site.Lab, name);
        var works = await HistoryTests.RunAsync(client, name);
        await server.BreakAsync();
        return (server, [works, await HistoryTests.RunAsync(client, name)]);
    }

    [Fact]
    public async Task The_history_picture_renders_without_javascript_and_is_one_labelled_image()
    {
        const string name = "picture-browser.example.test";
        var (server, ids) = await WorksThenBreaksAsync(name);
        await using var cleanup = server;
        var page = await fixture.NewPageAsync(new() { JavaScriptEnabled = false });
        var problems = Problems(page);
        await page.GotoAsync($"/s/{name}");

        var picture = page.GetByRole(AriaRole.Img, new() { Name = $"Verdict over time for {name}" });
        await Expect(picture).ToBeVisibleAsync();
        var box = (await picture.BoundingBoxAsync())!;
        Assert.True(box.Width > 300 && box.Height > 40, $"the picture is {box.Width}×{box.Height}");
        // Drawn in the site's colours (classes from history.css, which the CSP allows), not black defaults.
        Assert.Equal("rgb(19, 115, 51)", await page.Locator($"circle[data-result-id='{ids[0]}']").EvaluateAsync<string>("e => getComputedStyle(e).fill"));
        Assert.Equal("rgb(179, 38, 30)", await page.Locator($"circle[data-result-id='{ids[1]}']").EvaluateAsync<string>("e => getComputedStyle(e).fill"));
        await Expect(page.Locator(".timeline figcaption")).ToContainTextAsync("The verdict changed once; the latest result says broken");
        Assert.Equal($"/s/{name}.atom", await page.Locator("link[rel=alternate][type='application/atom+xml']").GetAttributeAsync("href"));
        await BrowserFixture.ScreenshotAsync(page, "history-01-picture");

        var dark = await fixture.NewPageAsync(new() { ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 390, Height = 844 } });
        await dark.GotoAsync($"/s/{name}");
        Assert.False(await dark.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the history page scrolls sideways on a phone");
        // The picture keeps a legible size and scrolls inside its own frame instead.
        Assert.True((await dark.Locator("svg.timeline-svg").BoundingBoxAsync())!.Width >= 540);
        await BrowserFixture.ScreenshotAsync(dark, "history-02-picture-dark-phone");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task From_the_latest_result_a_visitor_compares_with_the_previous_one_and_sees_what_broke()
    {
        const string name = "diff-browser.example.test";
        var (server, ids) = await WorksThenBreaksAsync(name);
        await using var cleanup = server;
        var page = await fixture.NewPageAsync();
        var problems = Problems(page);
        await page.GotoAsync($"/r/{ids[1]}");

        await page.GetByRole(AriaRole.Link, new() { Name = "Compare with the previous result" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/r/{ids[1]}\\?vs={ids[0]}$"), new() { WaitUntil = WaitUntilState.Commit });
        var section = page.GetByRole(AriaRole.Region, new() { NameRegex = new Regex("^Changes from ") });
        await Expect(section).ToBeVisibleAsync();
        var changes = section.Locator("li.change");
        await Expect(changes.First).ToContainTextAsync("Verdict changed from works to broken");
        await Expect(section.Locator("li.change-certificate")).ToContainTextAsync($"The certificate at {server.EndPoint} changed");
        await Expect(section.Locator("li.change-keys")).ToHaveTextAsync("Signing keys rotated: ed25519:second added, ed25519:first removed.");
        Assert.True(await section.Locator("li.change-added-error").CountAsync() >= 1);
        // The report itself is still below the comparison.
        await Expect(page.Locator("#report .verdict")).ToHaveClassAsync(new Regex("verdict-bad"));
        await BrowserFixture.ScreenshotAsync(page, "history-03-diff");

        await section.GetByRole(AriaRole.Link, new() { Name = "Show this result alone" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/r/{ids[1]}$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Empty(problems);
    }

    /// <summary>Console errors (CSP violations show up there) and failed requests.</summary>
    private static List<string> Problems(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        page.RequestFailed += (_, request) => problems.Add($"{request.Url}: {request.Failure}");
        return problems;
    }
}
