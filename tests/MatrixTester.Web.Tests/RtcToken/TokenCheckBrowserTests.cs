using MatrixTester.Lab;
using MatrixTester.Lab.Peer;
using MatrixTester.Lab.Rtc;
using MatrixTester.Web.Tests.TwoWay;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.RtcToken;

/// <summary>The call token check as an admin sees it in Debian's chromium: the live "verified our test user" line, then the result.</summary>
public sealed class TokenCheckBrowserTests : IAsyncLifetime
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
    public async Task The_live_view_shows_the_authorization_service_verifying_our_test_user_before_the_result()
    {
        var service = await LabRtcService.StartAsync(_site.Lab, cancellationToken: TestContext.Current.CancellationToken);
        await RtcTarget.StartAsync(_site.Lab, service.ServiceUrl);
        var context = await _browser!.NewContextAsync(new() { BaseURL = _site.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        // Note, the moment the call-back line is added, whether the report is there yet (it must not be: the line is live).
        await page.AddInitScriptAsync("""
            window.__callbackLine = null;
            new MutationObserver(() => {
                const row = [...document.querySelectorAll('.live-row')].find(r => r.textContent.includes('the authorization service verified our test user'));
                if (row && window.__callbackLine === null) window.__callbackLine = { text: row.textContent, reportPresent: !!document.getElementById('report') };
            }).observe(document, { childList: true, subtree: true });
            """);
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(RtcTarget.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();

        await Expect(page.Locator(".live-group[data-stage='rtc-token'] .live-row", new() { HasText = "Asking the call authorization service at " + service.ServiceUrl })).ToBeAttachedAsync();
        await Expect(page.Locator(".live-row", new() { HasText = "the authorization service verified our test user (it asked our server from " + service.ServiceAddress })).ToBeAttachedAsync();
        await Expect(page.Locator("#report #token-check-title")).ToHaveTextAsync("Call token check: works");
        await BrowserFixture.ScreenshotAsync(page, "token-check");

        var line = await page.EvaluateAsync<System.Text.Json.JsonElement>("window.__callbackLine");
        Assert.False(line.GetProperty("reportPresent").GetBoolean(), "the call-back line appeared only with the finished report");
        Assert.Matches($"Calls: the authorization service verified our test user \\(it asked our server from {service.ServiceAddress} over IPv4, .+ after \\d+ ms\\)",
            line.GetProperty("text").GetString());
        await Expect(page.Locator("#token-check .token-check-callbacks li").First).ToContainTextAsync("the authorization service verified our test user");
        await Expect(page.Locator("#report .chip-token-check")).ToHaveTextAsync("Call token check: works");
        await Expect(page.Locator("#report .chip-calls")).ToHaveTextAsync("Calls: ready");

        // The finished result, as its permalink shows it, at desktop and phone width, its details open.
        var permalink = await page.Locator("#report a.permalink").GetAttributeAsync("href");
        foreach (var (width, height, shot) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
        {
            var view = await (await _browser.NewContextAsync(new() { BaseURL = _site.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } })).NewPageAsync();
            await view.GotoAsync(permalink!);
            await Expect(view.Locator("#report #token-check-title")).ToHaveTextAsync("Call token check: works");
            await view.EvaluateAsync("() => document.querySelectorAll('details:not(.raw-json)').forEach(d => d.open = true)");
            Assert.True(await view.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"the result is wider than a {width} px window");
            var names = Details.EngineNames.In(await view.EvaluateAsync<string>("document.body.innerText"));
            Assert.True(names.Count == 0, $"engine names on the page: {string.Join(", ", names)}");
            await BrowserFixture.ScreenshotAsync(view, $"result-calls-token-works-{shot}");
            await view.Locator("#report #calls").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"result-calls-token-works-{shot}-calls.png") });
            await view.Locator("#detail-calls").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"result-calls-token-works-{shot}-calls-details.png") });
            await view.Context.CloseAsync();
        }
    }
}
