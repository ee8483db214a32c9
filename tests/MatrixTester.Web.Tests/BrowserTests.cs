using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests;

/// <summary>The site as a Matrix admin uses it, in Debian's chromium: live streaming, verdict, permalink, docs.</summary>
public sealed class BrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Typing_a_server_name_streams_rows_before_the_verdict_and_the_permalink_shows_the_same_result()
    {
        var gate = await fixture.Site.GatedServerAsync();
        var page = await fixture.NewPageAsync();
        var problems = Problems(page);
        await page.GotoAsync("/");
        await BrowserFixture.ScreenshotAsync(page, "01-home");

        await page.GetByLabel("Server name").FillAsync(gate.ServerName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();

        // The .well-known host is held back, so the diagnosis cannot have finished: these rows were streamed.
        await Expect(page.Locator(".live-row").First).ToBeVisibleAsync();
        await Expect(page.Locator("#now-checking")).ToContainTextAsync($"Waiting for https://{gate.ServerName}/.well-known/matrix/server");
        Assert.Equal(0, await page.Locator("#report").CountAsync());
        Assert.False(gate.IsOpen);
        await BrowserFixture.ScreenshotAsync(page, "02-streaming");
        gate.Open();

        var verdict = page.Locator("#report .verdict h2");
        await Expect(verdict).ToBeVisibleAsync();
        await Expect(verdict).ToContainTextAsync(gate.ServerName);
        Assert.EndsWith($"/?server_name={gate.ServerName}", page.Url, StringComparison.Ordinal);
        Assert.True(await page.Locator(".live-log .live-row").CountAsync() >= 3);
        await page.Locator(".details > .detail-block > summary").Nth(1).ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "03-verdict");
        var liveVerdict = await verdict.InnerTextAsync();
        var liveFindings = await page.Locator("#report .finding h3").AllInnerTextsAsync();

        await page.Locator("#report a.permalink").ClickAsync();
        await page.WaitForURLAsync(new Regex("/r/[A-Za-z0-9_-]{24}$"));
        await Expect(page.Locator(".stored-note")).ToContainTextAsync("stored result");
        Assert.Equal(liveVerdict, await page.Locator("#report .verdict h2").InnerTextAsync());
        Assert.Equal(liveFindings, await page.Locator("#report .finding h3").AllInnerTextsAsync());
        await BrowserFixture.ScreenshotAsync(page, "04-permalink");

        // "Run again" streams again on the homepage.
        await page.GetByRole(AriaRole.Button, new() { Name = "Run again" }).ClickAsync();
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(gate.ServerName);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_finding_links_to_the_docs_section_that_explains_it()
    {
        var page = await fixture.NewPageAsync();
        var problems = Problems(page);
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(SiteFixture.Missing);
        await page.Keyboard.PressAsync("Enter");
        var link = page.Locator("#report .finding a.docs-link").First;
        await Expect(link).ToBeVisibleAsync();
        await Expect(page.Locator("#report .verdict")).ToHaveClassAsync(new Regex("verdict-bad"));
        await BrowserFixture.ScreenshotAsync(page, "05-broken");
        var href = (await link.GetAttributeAsync("href"))!;

        await link.ClickAsync();
        await page.WaitForURLAsync(new Regex("/docs/[a-z0-9-]+"));
        Assert.EndsWith(href, page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("article.prose h1")).ToBeVisibleAsync();
        if (href.Contains('#', StringComparison.Ordinal))
        {
            await Expect(page.Locator("#" + href.Split('#')[1])).ToBeVisibleAsync();
        }
        await BrowserFixture.ScreenshotAsync(page, "06-docs");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_server_broken_on_IPv6_only_shows_each_address_as_it_is_checked()
    {
        var name = await fixture.Site.SplitFamilyServerAsync();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(name);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#report .verdict")).ToContainTextAsync("IPv6: broken");
        // The live log kept one group per address.
        var addresses = await page.Locator(".live-log [data-address] h4").AllTextContentsAsync();
        Assert.Contains(addresses, a => a.StartsWith("[::1]:", StringComparison.Ordinal));
        Assert.Contains(addresses, a => a.StartsWith("127.", StringComparison.Ordinal));
        await page.Locator(".live-log > summary").ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "10-ipv6-broken");
    }

    [Fact]
    public async Task Without_javascript_the_form_still_produces_a_finished_report()
    {
        var page = await fixture.NewPageAsync(new() { JavaScriptEnabled = false });
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(SiteFixture.Good);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test federation" }).ClickAsync();
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(SiteFixture.Good);
        Assert.Contains("server_name=good.example.test", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "07-no-javascript");
    }

    [Fact]
    public async Task Dark_mode_and_a_phone_sized_screen_render_the_report()
    {
        var page = await fixture.NewPageAsync(new() { ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 390, Height = 844 } });
        var problems = Problems(page);
        await page.GotoAsync($"/?server_name={SiteFixture.Good}");
        await Expect(page.Locator("#report .verdict")).ToBeVisibleAsync();
        var background = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(15, 20, 25)", background);
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page scrolls sideways on a phone");
        await BrowserFixture.ScreenshotAsync(page, "08-dark-phone");
        await page.GotoAsync("/docs/delegation");
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "a docs page scrolls sideways on a phone");
        await BrowserFixture.ScreenshotAsync(page, "09-docs-dark-phone");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_form_is_usable_with_the_keyboard_alone()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#server_name").FocusAsync();
        await page.Keyboard.TypeAsync(SiteFixture.Missing);
        await page.Keyboard.PressAsync("Enter");
        // When the report arrives, focus moves to the verdict so screen readers announce it.
        await Expect(page.Locator("#verdict-title")).ToBeFocusedAsync();
    }

    /// <summary>Console errors and failed requests (a CSP violation shows up as a console error).</summary>
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
        page.RequestFailed += (_, request) =>
        {
            // EventSource is closed by the page once "completed" arrives; that abort is expected.
            if (!request.Url.Contains("/api/v2/stream", StringComparison.Ordinal))
            {
                problems.Add($"{request.Url}: {request.Failure}");
            }
        };
        return problems;
    }
}
