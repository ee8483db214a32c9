using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.Outage;

/// <summary>The live page in chromium while the result store is unreachable: the report, and why there is no permalink.</summary>
public sealed class OutageBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task With_the_database_down_the_live_page_shows_the_report_and_says_it_could_not_be_saved()
    {
        // Nothing listens on port 1: a database that is down for the whole life of this site.
        await using var site = new SiteFactory(fixture.Site.Lab, fixture.Site.DataDirectory, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody",
        });
        using var client = KestrelSite.Start(site);
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = client.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(SiteFixture.Good);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();

        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync($"Federation works for {SiteFixture.Good}");
        await Expect(page.Locator("#report .not-saved")).ToContainTextAsync("could not be saved: storage is unavailable");
        Assert.Equal(0, await page.Locator("#report a.permalink").CountAsync());
        Assert.Equal(1, await page.Locator(".not-saved").CountAsync());
        await BrowserFixture.ScreenshotAsync(page, "40-store-down");
        Assert.Empty(errors);
        await context.CloseAsync();
    }
}
