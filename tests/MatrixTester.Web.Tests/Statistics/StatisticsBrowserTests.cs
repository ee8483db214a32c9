using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.Statistics;

/// <summary>/stats in Debian's chromium without JavaScript: the charts are drawn, labelled, and fit a phone.</summary>
public sealed class StatisticsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_statistics_page_draws_its_charts_without_javascript_and_fits_a_phone()
    {
        using (var client = new HttpClient { BaseAddress = fixture.BaseAddress })
        {
            using var response = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Good}", TestContext.Current.CancellationToken);
        }
        var page = await fixture.NewPageAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 390, Height = 844 }, ColorScheme = ColorScheme.Dark });

        await page.GotoAsync("/stats");

        var delegation = page.GetByRole(AriaRole.Img, new() { NameRegex = new System.Text.RegularExpressions.Regex("^How servers delegate: a bar chart of \\d+ servers?: ") });
        await Expect(delegation).ToBeVisibleAsync();
        var bar = page.Locator("#stats-verdicts rect.stats-bar").First;
        Assert.True((await bar.BoundingBoxAsync())!.Width > 10);
        // Drawn in the site's colours through classes (the CSP allows no inline styles), not black defaults.
        Assert.NotEqual("rgb(0, 0, 0)", await bar.EvaluateAsync<string>("e => getComputedStyle(e).fill"));
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the statistics page scrolls sideways on a phone");
        await page.Locator("#stats-verdicts details summary").ClickAsync();
        await Expect(page.Locator("#stats-verdicts table")).ToBeVisibleAsync();
        await Expect(page.Locator("nav a[href='/stats']")).ToHaveAttributeAsync("aria-current", "page");
        await BrowserFixture.ScreenshotAsync(page, "stats-01-phone-dark");
    }
}
