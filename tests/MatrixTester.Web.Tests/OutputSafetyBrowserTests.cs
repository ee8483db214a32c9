using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests;

/// <summary>
/// Markup and script from lab servers, run through the real page in chromium (live stream, swapped-in report,
/// permalink, no-JavaScript render): nothing executes, no element is injected, the text is shown as typed.
/// </summary>
public sealed class OutputSafetyBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(MarkupScenario.Delegated, MarkupScenario.VersionName)]
    [InlineData(MarkupScenario.BadWellKnown, MarkupScenario.WellKnownMarkup)]
    public async Task Injected_script_never_runs_in_the_live_page_or_the_permalink(string name, string shownAsText)
    {
        await MarkupScenario.CreateAsync(fixture.Site.Lab);
        var page = await fixture.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) => problems.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => problems.Add(error);
        page.Dialog += (_, dialog) => problems.Add("dialog: " + dialog.Message);
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();
        await Expect(page.Locator("#report .verdict h2")).ToBeVisibleAsync();
        await AssertInertAsync(page, shownAsText);
        await BrowserFixture.ScreenshotAsync(page, "20-markup-live-" + name.Split('.')[0]);

        await page.Locator("#report a.permalink").ClickAsync();
        await page.WaitForURLAsync(new Regex("/r/[A-Za-z0-9_-]{24}$"));
        await AssertInertAsync(page, shownAsText);

        // The server-rendered report (what the page shows without JavaScript, and what the stream swaps in).
        await page.GotoAsync($"/?server_name={name}");
        await Expect(page.Locator("#report .verdict h2")).ToBeVisibleAsync();
        await AssertInertAsync(page, shownAsText);
        Assert.DoesNotContain(problems, p => !p.StartsWith("log:", StringComparison.Ordinal) && !p.StartsWith("info:", StringComparison.Ordinal));
    }

    private static async Task AssertInertAsync(IPage page, string shownAsText)
    {
        // Open every folded detail, so hover and load handlers would have had their chance.
        await page.Locator("#report details > summary").First.ClickAsync();
        await page.EvaluateAsync("document.querySelectorAll('#report details').forEach(d => d.open = true)");
        await page.WaitForTimeoutAsync(200);
        await page.Locator("#report").HoverAsync();
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.pwned"));
        // The only SVG is our own timeline drawing: bars and axis made of rect and line elements.
        Assert.Equal(0, await page.Locator("#report img, #report svg:not(.tl-bar):not(.tl-axis-lines), #report svg :not(rect):not(line), #report iframe, #report script, #report b").CountAsync());
        Assert.Contains(shownAsText, await page.Locator("#report").InnerTextAsync(), StringComparison.Ordinal);
    }
}
