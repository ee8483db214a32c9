using MatrixTester.Lab.Calls;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.Calls;

/// <summary>Calls and login as an admin sees them stream in Debian's chromium: each its own group in the live view.</summary>
public sealed class CallsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_live_view_shows_the_calls_and_login_steps_in_groups_of_their_own()
    {
        var server = await new LabCallsServer(fixture.Site.Lab, "live.calls.test") { ServiceFault = RtcServiceFault.DuplicatedCors }.StartAsync();
        var page = await fixture.NewPageAsync();
        // Note what the calls group said when it first appeared, and whether the report was there yet (it must not be: the line is live).
        await page.AddInitScriptAsync("""
            window.__calls = null;
            new MutationObserver(() => {
                const group = document.querySelector('.live-group[data-stage="calls"] .live-row');
                if (group && window.__calls === null) window.__calls = { text: group.textContent, reportPresent: !!document.getElementById('report') };
            }).observe(document, { childList: true, subtree: true });
            """);
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(server.ServerName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();

        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync("Federation works");
        var seen = await page.EvaluateAsync<System.Text.Json.JsonElement>("window.__calls");
        Assert.Contains("Calls are broken", seen.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.False(seen.GetProperty("reportPresent").GetBoolean());
        var log = page.Locator(".live-log");
        await log.Locator("summary").ClickAsync();
        await Expect(log.Locator(".live-group[data-stage=\"calls\"] h3")).ToHaveTextAsync("Calls (MatrixRTC)");
        await Expect(log.Locator(".live-group[data-stage=\"calls\"] .live-row.row-error")).ToContainTextAsync("sends Access-Control-Allow-Origin twice");
        await Expect(log.Locator(".live-group[data-stage=\"login\"] h3")).ToHaveTextAsync("Login");
        await Expect(log.Locator(".live-group[data-stage=\"login\"] .live-row")).ToContainTextAsync($"Login uses OAuth 2.0 (next-generation auth) with the issuer {server.Issuer}");
        await Expect(page.Locator("#report .finding-id", new() { HasText = "rtc.service_cors" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "calls-live");
    }
}
