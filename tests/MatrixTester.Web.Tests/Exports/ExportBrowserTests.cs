using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.Exports;

/// <summary>A result printed ("Save as PDF") and copied for a support room, in Debian's chromium.</summary>
public sealed class ExportBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<string> StoredResultAsync()
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var response = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Good}", TestContext.Current.CancellationToken);
        return response.Headers.GetValues("X-Result-Id").Single();
    }

    [Fact]
    public async Task Printed_the_result_is_light_without_navigation_or_buttons_and_with_every_disclosure_open()
    {
        var id = await StoredResultAsync();
        var page = await fixture.NewPageAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.GotoAsync($"/r/{id}");
        // A closed disclosure of the technical details: its content is hidden on screen.
        var closed = page.Locator("details:not([open]) > :not(summary)").First;
        await Expect(closed).ToBeHiddenAsync();
        await Expect(page.Locator(".site-header")).ToBeVisibleAsync();
        await Expect(page.Locator("a.copy-markdown")).ToBeVisibleAsync();
        Assert.NotEqual("rgb(255, 255, 255)", await BackgroundAsync(page));

        await page.EmulateMediaAsync(new() { Media = Media.Print, ColorScheme = ColorScheme.Dark });

        await Expect(closed).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("details:not([open]) > :not(summary)").EvaluateAllAsync<int>(
            "nodes => nodes.filter(n => n.getClientRects().length === 0).length"));
        foreach (var hidden in new[] { ".site-header", ".site-footer", "a.copy-markdown", "form.run-again", "section.watch" })
        {
            await Expect(page.Locator(hidden).First).ToBeHiddenAsync();
        }
        Assert.Equal("rgb(255, 255, 255)", await BackgroundAsync(page));
        Assert.Equal("rgb(0, 0, 0)", await page.EvaluateAsync<string>("getComputedStyle(document.body).color"));
        // Nothing is cut off or drawn over what follows: boxes that scroll on screen grow to their content on paper.
        Assert.Equal(0, await page.Locator("pre, .table-wrap").EvaluateAllAsync<int>("boxes => boxes.filter(b => b.scrollHeight > b.clientHeight + 1).length"));
        await BrowserFixture.ScreenshotAsync(page, "export-01-print");
        var pdf = await page.PdfAsync(new() { Format = "A4" });
        Assert.True(pdf.Length > 10_000, $"the PDF is {pdf.Length} bytes");
    }

    [Fact]
    public async Task Copy_for_a_support_room_puts_the_markdown_on_the_clipboard()
    {
        var id = await StoredResultAsync();
        var page = await fixture.NewPageAsync(new() { Permissions = ["clipboard-read", "clipboard-write"] });
        await page.GotoAsync($"/r/{id}");

        await page.Locator("a.copy-markdown").ClickAsync();

        await Expect(page.Locator("a.copy-markdown")).ToHaveTextAsync("Copied: paste it into your support room");
        var copied = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.StartsWith($"### ✓ Federation works for {SiteFixture.Good}\n", copied, StringComparison.Ordinal);
        Assert.Contains($"/r/{id})", copied, StringComparison.Ordinal);
        Assert.EndsWith($"/r/{id}", page.Url, StringComparison.Ordinal);
    }

    private static Task<string> BackgroundAsync(IPage page) => page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
}
