using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests;

/// <summary>The live page while the tester is at its global cap: it says the place in line, then runs the test.</summary>
public sealed class BusyBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_waiting_visitor_sees_their_number_in_line_and_then_the_report()
    {
        await using var site = new SiteFactory(fixture.Site.Lab, fixture.Site.DataDirectory, new Dictionary<string, string?>
        {
            ["Abuse:MaxConcurrentDiagnoses"] = "1",
            ["Abuse:MaxQueuedDiagnoses"] = "5",
        });
        using var client = KestrelSite.Start(site);
        var running = await fixture.Site.GatedServerAsync();
        var waiting = await fixture.Site.GatedServerAsync();
        var mine = await fixture.Site.GatedServerAsync();
        using var first = await client.GetAsync($"/api/v2/stream?server_name={running.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var second = await client.GetAsync($"/api/v2/stream?server_name={waiting.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = client.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(mine.ServerName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();
        await Expect(page.Locator("#now-checking")).ToHaveTextAsync("The tester is busy; you are number 2 in line.");
        await BrowserFixture.ScreenshotAsync(page, "30-busy-queue");

        running.Open();
        await Expect(page.Locator("#now-checking")).ToHaveTextAsync("The tester is busy; your test is next in line.");
        waiting.Open();
        mine.Open();
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(mine.ServerName);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Over_the_rate_limit_the_live_page_says_so_and_links_to_the_page_with_the_wait()
    {
        await using var site = new SiteFactory(fixture.Site.Lab, fixture.Site.DataDirectory, new Dictionary<string, string?>
        {
            ["Abuse:RateLimit:TokenLimit"] = "1",
            ["Abuse:RateLimit:TokensPerPeriod"] = "1",
            ["Abuse:RateLimit:ReplenishmentPeriod"] = "00:10:00",
        });
        using var client = KestrelSite.Start(site);
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = client.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(SiteFixture.Missing);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();
        await Expect(page.Locator("#report .verdict h2")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();
        await Expect(page.Locator(".live-error")).ToContainTextAsync("could not start this test right now");
        await page.GetByRole(AriaRole.Link, new() { Name = "See why, and when to try again" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Too many tests from your address");
        await Expect(page.Locator(".retry-after")).ToContainTextAsync("try again in");
        await BrowserFixture.ScreenshotAsync(page, "31-rate-limited");
        await context.CloseAsync();
    }
}
