using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The result at a glance in Debian's chromium: checklist, discovery path and timeline on the live page, the
/// permalink and the no-JavaScript render; readable on a phone and in dark mode; axe-core finds no serious or
/// critical violation; every disclosure and form works from the keyboard. Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class GlanceBrowserTests(GlanceFixture fixture) : IClassFixture<GlanceFixture>
{
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new() { Width = 390, Height = 844 } };

    private static async Task AssertPicturesAsync(IPage page)
    {
        await Expect(page.Locator("#report .checklist .check-line").First).ToBeVisibleAsync();
        await Expect(page.Locator("#report .discovery-path .path-node").First).ToBeVisibleAsync();
        await Expect(page.Locator("#report #timeline .tl-row").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("#report .discovery-path .path-node").CountAsync() >= 3);
        // The text alternative: every bar's row says when it started, how long it took and how it ended.
        Assert.All(await page.Locator("#report #timeline .tl-text").AllInnerTextsAsync(), t => Assert.Matches(@"^starts at \d", t));
    }

    private async Task<string> LiveAsync(IPage page, string name)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(name);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(name);
        return (await page.Locator("#report a.permalink").GetAttributeAsync("href"))!;
    }

    [Fact]
    public async Task A_healthy_result_shows_all_three_pictures_live_on_the_permalink_and_without_javascript()
    {
        var page = await fixture.NewPageAsync();
        var permalink = await LiveAsync(page, SiteFixture.Good);
        await AssertPicturesAsync(page);
        await Expect(page.Locator("#report .verdict-summary")).ToHaveTextAsync("Other homeservers can reach it on every address tested.");
        Assert.Equal(0, await page.Locator("#report .check-line.check-failed").CountAsync());
        Assert.True(await page.Locator("#report .tl-crit-mark").CountAsync() > 1, "the critical path is marked");
        Assert.Equal(0, await page.Locator("#report .path-edge-failed").CountAsync());
        await AssertNoSeriousViolationsAsync(page, "live result");
        await BrowserFixture.ScreenshotAsync(page, "glance-01-healthy-live");

        await page.GotoAsync(permalink);
        await AssertPicturesAsync(page);
        await AssertNoSeriousViolationsAsync(page, "permalink");
        await BrowserFixture.ScreenshotAsync(page, "glance-02-healthy-permalink");
        await SectionShotsAsync(page, "glance-02-healthy-permalink");

        var noJs = await fixture.NewPageAsync(new() { JavaScriptEnabled = false });
        await noJs.GotoAsync($"/?server_name={SiteFixture.Good}");
        await AssertPicturesAsync(noJs);
        await noJs.GotoAsync(permalink);
        await AssertPicturesAsync(noJs);
    }

    [Fact]
    public async Task A_broken_server_with_16_addresses_stays_readable_on_a_phone_and_in_dark_mode()
    {
        await fixture.SixteenAddressesAsync();
        var light = await fixture.NewPageAsync(Phone);
        var permalink = await LiveAsync(light, GlanceFixture.Sixteen);
        await AssertPicturesAsync(light);
        Assert.Equal(16, await light.Locator("#report .check-address").CountAsync());
        Assert.Equal(14, await light.Locator("#report .check-address:has(.check-chip.check-failed)").CountAsync());
        await Expect(light.Locator("#report .path-edge-failed")).ToContainTextAsync("connections fail here");
        await Expect(light.Locator("#report .verdict-summary")).ToContainTextAsync("Homeservers that pick a failing address will fail or be slow to reach it.");
        Assert.False(await light.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the result scrolls sideways on a phone");
        // Labels are HTML text, not shrunken SVG text: readable size on a phone.
        var fontSize = await light.Locator("#report .tl-label code").First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(fontSize >= 11, $"timeline labels are {fontSize}px on a phone");
        var bar = await light.Locator("#report .tl-bar").First.BoundingBoxAsync();
        Assert.True(bar!.Width > 300, $"timeline bars are {bar.Width}px wide on a phone");
        var lightFill = await light.Locator("#report .tl-seg.tl-ok").First.EvaluateAsync<string>("e => getComputedStyle(e).fill");
        await BrowserFixture.ScreenshotAsync(light, "glance-03-broken-16-phone");
        await SectionShotsAsync(light, "glance-03-broken-16-phone");

        var dark = await fixture.NewPageAsync(new() { ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 390, Height = 844 } });
        await dark.GotoAsync(permalink);
        await AssertPicturesAsync(dark);
        Assert.Equal("rgb(15, 20, 25)", await dark.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        var darkFill = await dark.Locator("#report .tl-seg.tl-ok").First.EvaluateAsync<string>("e => getComputedStyle(e).fill");
        Assert.NotEqual(lightFill, darkFill);
        Assert.False(await dark.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "dark mode scrolls sideways on a phone");
        await AssertNoSeriousViolationsAsync(dark, "broken permalink, dark, phone");
        await BrowserFixture.ScreenshotAsync(dark, "glance-04-broken-16-dark-phone");
        await SectionShotsAsync(dark, "glance-04-broken-16-dark-phone");

        var desktop = await fixture.NewPageAsync();
        await desktop.GotoAsync(permalink);
        await BrowserFixture.ScreenshotAsync(desktop, "glance-05-broken-16-desktop");
        await SectionShotsAsync(desktop, "glance-05-broken-16-desktop");
    }

    [Fact]
    public async Task A_run_stopped_by_the_30_second_limit_shows_the_timeout_as_a_timeout()
    {
        var permalink = await fixture.SilentRunPermalinkAsync();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(permalink);
        await AssertPicturesAsync(page);
        await Expect(page.Locator("#report #timeline")).ToHaveClassAsync(new Regex("tl-timed-out"));
        await Expect(page.Locator("#report .tl-row-timeout").First).ToContainTextAsync(new Regex("time limit|timed out"));
        // Not checked is not failed: the limit is "not finished", the address it did not finish is not tested.
        await Expect(page.Locator("#report .check-line.check-incomplete", new() { HasText = "Time limit" })).ToContainTextAsync("Not finished");
        Assert.Equal(0, await page.Locator("#report .check-failed").CountAsync());
        await Expect(page.Locator("#report .check-address .check-nottested")).ToContainTextAsync("Not tested");
        await Expect(page.Locator("#report .verdict-summary")).ToContainTextAsync("time limit");
        await Expect(page.Locator("#verdict-title")).ToContainTextAsync("Federation test incomplete");
        await Expect(page.Locator("#report .discovery-path")).ToContainTextAsync("not checked before the time limit");
        await Expect(page.Locator("#report .tl-ticks span").Last).ToHaveTextAsync(new Regex(@"^3\d(\.\d)? s$"));
        await BrowserFixture.ScreenshotAsync(page, "glance-06-timed-out");
        await SectionShotsAsync(page, "glance-06-timed-out");
        var phone = await fixture.NewPageAsync(Phone);
        await phone.GotoAsync(permalink);
        Assert.False(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));
        await BrowserFixture.ScreenshotAsync(phone, "glance-07-timed-out-phone");
        await SectionShotsAsync(phone, "glance-07-timed-out-phone");
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_the_home_docs_and_history_pages()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await AssertNoSeriousViolationsAsync(page, "homepage");
        await page.GotoAsync("/docs/federation-tls");
        await AssertNoSeriousViolationsAsync(page, "docs page");
        await page.GotoAsync("/docs/deployment");
        await AssertNoSeriousViolationsAsync(page, "docs page with tables");
        await page.GotoAsync($"/?server_name={SiteFixture.Good}");
        await page.GotoAsync($"/s/{SiteFixture.Good}");
        await Expect(page.Locator("main h1")).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "history page");
    }

    [Fact]
    public async Task Every_disclosure_and_the_forms_work_from_the_keyboard()
    {
        var page = await fixture.NewPageAsync();
        var permalink = await LiveAsync(page, SiteFixture.Missing);
        await page.GotoAsync(permalink);
        var blocks = page.Locator("#report details:not(details details)");
        var count = await blocks.CountAsync();
        Assert.True(count >= 2, "the report has disclosures");
        var toggled = 0;
        await page.Locator("body").FocusAsync();
        for (var i = 0; i < 400 && toggled < count; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var inTopLevelSummary = await page.EvaluateAsync<bool>(
                "() => { const s = document.activeElement; return s && s.tagName === 'SUMMARY' && s.parentElement.matches('#report details:not(details details)'); }");
            if (!inTopLevelSummary)
            {
                continue;
            }
            var before = await page.EvaluateAsync<bool>("() => document.activeElement.parentElement.open");
            await page.Keyboard.PressAsync("Enter");
            Assert.NotEqual(before, await page.EvaluateAsync<bool>("() => document.activeElement.parentElement.open"));
            if (before)
            {
                await page.Keyboard.PressAsync("Enter"); // leave it open so the walk continues through it
            }
            toggled++;
        }
        Assert.Equal(count, toggled);

        // "Run again" is a form too: reachable by Tab and submitted with Enter.
        await page.GotoAsync(permalink);
        await page.Locator("body").FocusAsync();
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()") == "Run again")
            {
                break;
            }
        }
        await page.Keyboard.PressAsync("Enter");
        // A new run on a busy test machine: wait for it as long as the page's own timeouts allow.
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(SiteFixture.Missing, new() { Timeout = 45_000 });
        await Expect(page.Locator("#verdict-title")).ToBeFocusedAsync();
    }

    /// <summary>Each picture on its own, small enough to look at (a full 16-address page is very tall).</summary>
    private static async Task SectionShotsAsync(IPage page, string name)
    {
        foreach (var (selector, part) in new[] { (".verdict", "verdict"), (".checklist", "checklist"), (".discovery-path", "path"), ("#timeline", "timeline") })
        {
            await page.Locator($"#report {selector}").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}-{part}.png") });
        }
    }

    private static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, $"{what}: {string.Join("\n", serious)}");
    }
}
