using MatrixTester.Lab;
using MatrixTester.Lab.Peer;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.TwoWay;

/// <summary>The two-way check as an admin sees it in Debian's chromium: the live fetch line, then the chip.</summary>
public sealed class TwoWayBrowserTests : IAsyncLifetime
{
    private TwoWaySite _site = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        Requires.Part(LabPeerRuntime.NodeJs);
        Requires.Part(Prerequisite.Chromium);
        _site = await TwoWaySite.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Prerequisite.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_site is not null)
        {
            await _site.DisposeAsync();
            await _site.Lab.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_live_view_shows_your_server_fetching_our_key_before_the_result_then_the_two_way_chip()
    {
        var peer = await _site.PeerAsync();
        var context = await _browser!.NewContextAsync(new() { BaseURL = _site.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        // Note, the moment the fetch line is added, whether the report is there yet (it must not be: the line is live).
        await page.AddInitScriptAsync("""
            window.__fetchLine = null;
            new MutationObserver(() => {
                const row = [...document.querySelectorAll('.live-row')].find(r => r.textContent.includes('Your server fetched our key'));
                if (row && window.__fetchLine === null) window.__fetchLine = { text: row.textContent, reportPresent: !!document.getElementById('report') };
            }).observe(document, { childList: true, subtree: true });
            """);
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(peer.ServerName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();

        await Expect(page.Locator(".live-row", new() { HasText = "Waiting for your server to contact us" })).ToBeAttachedAsync();
        await Expect(page.Locator(".live-row", new() { HasText = "Your server fetched our key from " + peer.EndPoint.Address })).ToBeAttachedAsync();
        var chip = page.Locator("#report .families .chip-two-way");
        await Expect(chip).ToHaveTextAsync("Two-way: works");
        await BrowserFixture.ScreenshotAsync(page, "two-way-chip");

        var line = await page.EvaluateAsync<System.Text.Json.JsonElement>("window.__fetchLine");
        Assert.False(line.GetProperty("reportPresent").GetBoolean(), "the fetch line appeared only with the finished report");
        Assert.Matches($"Your server fetched our key from {peer.EndPoint.Address} over IPv4 \\(.+\\) after \\d+ ms", line.GetProperty("text").GetString());
        await Expect(page.Locator("#two-way .two-way-fetches li").First).ToContainTextAsync("Your server fetched our key from");
    }
}
