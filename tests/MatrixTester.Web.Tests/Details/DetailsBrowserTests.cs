using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static MatrixTester.Web.Tests.Details.DetailScenarios;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.Details;

/// <summary>
/// In Debian's chromium: the pages fit a 390 px phone, their text holds no engine identifiers, the four kinds of
/// result look right at desktop and phone width (screenshots in TestResults/screenshots), and the live view says
/// what it waits for, with a ticking time.
/// </summary>
public sealed class DetailsBrowserTests(DetailsFixture fixture) : IClassFixture<DetailsFixture>
{
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new() { Width = 390, Height = 844 } };

    /// <summary>The innermost elements that reach past the right edge of the window, for a failure message.</summary>
    private const string WideElements = """
        () => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
            .filter(e => !e.closest('.table-wrap, .timeline-scroll, pre'))
            .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}: ${Math.round(e.getBoundingClientRect().right)} px: ${e.textContent.slice(0, 60)}`).join(' | ')
        """;

    private static async Task AssertNoOverflowAsync(IPage page, string what)
    {
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        var viewport = await page.EvaluateAsync<int>("window.innerWidth");
        Assert.True(width <= viewport, $"{what}: the page is {width} px wide on a {viewport} px phone: {await page.EvaluateAsync<string>(WideElements)}");
    }

    /// <summary>Opens every disclosure but the raw JSON ones, so the text of every table counts.</summary>
    private const string OpenDetails = "() => document.querySelectorAll('details:not(.raw-json)').forEach(d => d.open = true)";

    private static async Task AssertFitsAndSpeaksPlainlyAsync(IPage page, string what)
    {
        await page.EvaluateAsync(OpenDetails);
        await AssertNoOverflowAsync(page, what);
        var text = await page.EvaluateAsync<string>("document.body.innerText");
        var names = EngineNames.In(text);
        Assert.True(names.Count == 0, $"{what} shows engine names: {string.Join(", ", names)}");
    }

    [Fact]
    public async Task Home_live_result_permalink_docs_and_history_fit_a_phone_and_show_no_engine_names()
    {
        await fixture.ScenariosAsync();
        var page = await fixture.NewPageAsync(Phone);
        await page.GotoAsync("/");
        await AssertFitsAndSpeaksPlainlyAsync(page, "the home page");

        await page.GetByLabel("Server name").FillAsync(Broken);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(Broken);
        await AssertFitsAndSpeaksPlainlyAsync(page, "a live result");

        foreach (var name in All)
        {
            await page.GotoAsync(await fixture.PermalinkAsync(name));
            await AssertFitsAndSpeaksPlainlyAsync(page, $"the permalink of {name}");
        }
        foreach (var doc in new[] { "/docs/troubleshooting", "/docs/deployment", "/docs/api" })
        {
            await page.GotoAsync(doc);
            await AssertNoOverflowAsync(page, doc);
        }
        await page.GotoAsync("/docs/troubleshooting");
        await AssertFitsAndSpeaksPlainlyAsync(page, "a docs page");
        await page.GotoAsync($"/s/{Broken}");
        await AssertFitsAndSpeaksPlainlyAsync(page, "the history page");
    }

    [Fact]
    public async Task A_long_name_in_the_verdict_summary_wraps_on_a_phone()
    {
        const string name = "anamelongenoughtobewiderthanaphoneifitneverwraps.example.test"; // no hyphen: nowhere to break
        var page = await fixture.NewPageAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 390, Height = 844 } });
        await page.GotoAsync($"/?server_name={name}");
        await Expect(page.Locator("#report .verdict-summary")).ToContainTextAsync(name);
        await AssertNoOverflowAsync(page, "a result for a long name");
        var card = await page.Locator("#report .verdict").BoundingBoxAsync();
        Assert.True(card!.X + card.Width <= 390, $"the verdict card ends at {card.X + card.Width} px");
    }

    [Fact]
    public async Task The_newest_result_is_in_view_in_the_history_chart_on_a_phone()
    {
        await fixture.ScenariosAsync();
        for (var i = 0; i < 3; i++)
        {
            await fixture.Client.GetDocumentAsync($"/?server_name={Mixed}&fresh=1");
        }
        var page = await fixture.NewPageAsync(Phone);
        await page.GotoAsync($"/s/{Mixed}");
        var dots = page.Locator(".timeline-svg circle.dot");
        Assert.True(await dots.CountAsync() >= 3);
        var frame = (await page.Locator(".timeline-scroll").BoundingBoxAsync())!;
        var newest = (await dots.Last.BoundingBoxAsync())!;
        Assert.True(newest.X >= frame.X && newest.X + newest.Width <= frame.X + frame.Width,
            $"the newest result is drawn at {newest.X}–{newest.X + newest.Width} px, the chart shows {frame.X}–{frame.X + frame.Width} px");
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));
        await BrowserFixture.ScreenshotAsync(page, "history-phone");
    }

    [Fact]
    public async Task A_live_log_of_one_step_says_one_step()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync("not a server name");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#report .verdict h2")).ToBeVisibleAsync();
        await Expect(page.Locator(".live-log > summary")).ToHaveTextAsync("Live log (1 step)");
    }

    [Fact]
    public async Task Healthy_client_broken_timed_out_and_broken_results_at_desktop_and_phone_width()
    {
        foreach (var (name, shot) in new[] { (Healthy, "healthy"), (ClientBroken, "client-broken"), (TimedOut, "timed-out"), (Broken, "broken") })
        {
            var permalink = await fixture.PermalinkAsync(name);
            foreach (var (options, width) in new[] { (new BrowserNewContextOptions(), "desktop"), (Phone, "phone") })
            {
                var page = await fixture.NewPageAsync(options);
                await page.GotoAsync(permalink);
                await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(name);
                await BrowserFixture.ScreenshotAsync(page, $"result-{shot}-{width}");
                await page.EvaluateAsync(OpenDetails);
                if (await page.Locator("#report .glance").CountAsync() > 0)
                {
                    await page.Locator("#report .glance").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"result-{shot}-{width}-glance.png") });
                }
                await page.Locator("#report .details").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"result-{shot}-{width}-details.png") });
                await page.Context.CloseAsync();
            }
        }
    }

    [Fact]
    public async Task Calls_ready_and_calls_broken_results_at_desktop_and_phone_width()
    {
        foreach (var (name, shot, calls, login) in new[] { (CallsReady, "calls-ready", "ready", "OIDC"), (CallsBroken, "calls-broken", "broken", "broken") })
        {
            var permalink = await fixture.PermalinkAsync(name);
            foreach (var (options, width) in new[] { (new BrowserNewContextOptions(), "desktop"), (Phone, "phone") })
            {
                var page = await fixture.NewPageAsync(options);
                await page.GotoAsync(permalink);
                // Calls and login never speak for federation: the headline stays, their chips and sections say their own.
                await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync($"Federation works for {name}");
                await Expect(page.Locator("#report .chip-calls")).ToHaveTextAsync($"Calls: {calls}");
                await Expect(page.Locator("#report .chip-login")).ToHaveTextAsync($"Login: {login}");
                await Expect(page.Locator("#report #calls-title")).ToHaveTextAsync($"Calls (MatrixRTC): {calls}");
                await Expect(page.Locator("#report #login-title")).ToHaveTextAsync($"Login: {login}");
                await BrowserFixture.ScreenshotAsync(page, $"result-{shot}-{width}");
                await page.Locator("#report #calls").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"result-{shot}-{width}-calls.png") });
                await page.EvaluateAsync(OpenDetails);
                await AssertNoOverflowAsync(page, $"{name} with its details open");
                await page.Locator("#detail-calls").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"result-{shot}-{width}-calls-details.png") });
                await page.Context.CloseAsync();
            }
        }
    }

    [Fact]
    public async Task The_live_view_says_what_it_waits_for_and_for_how_long()
    {
        var gate = await fixture.Site.GatedServerAsync();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(gate.ServerName);
        await page.Keyboard.PressAsync("Enter");
        await gate.Reached;
        var waiting = new Regex($@"^Waiting for https://{Regex.Escape(gate.ServerName)}/\.well-known/matrix/server \(127\.\d+\.\d+\.\d+\) — (\d+\.\d) s$");
        var status = page.Locator("#now-checking");
        await Expect(status).ToHaveTextAsync(waiting);
        // The time ticks while nothing else happens: past a second, it still names the well-known.
        await Expect(status).ToHaveTextAsync(new Regex($@"^Waiting for https://{Regex.Escape(gate.ServerName)}/\.well-known/matrix/server .* — [1-9]\d*\.\d s$"));
        await BrowserFixture.ScreenshotAsync(page, "live-waiting");
        gate.Open();

        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(gate.ServerName);
        await Expect(status).ToHaveTextAsync(new Regex($@"^Finished checking {Regex.Escape(gate.ServerName)} in (\d+ ms|\d+\.\d s)\.$"));
        await Expect(page.Locator(".live-log > summary")).ToHaveTextAsync(new Regex(@"^Live log \(\d+ steps\)$"));
        await Expect(page.Locator("#report .result-meta")).ToContainTextAsync(new Regex(@"in (\d+(\.\d)? ms|\d+\.\d s)\."));
        await Expect(page.Locator("#report .result-links")).ToContainTextAsync(new Regex(@"/r/[A-Za-z0-9_-]{24} · JSON · history$"));
    }

    [Fact]
    public async Task A_reused_result_on_the_live_page_has_the_run_again_button_its_notice_mentions()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(SiteFixture.Good);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync(SiteFixture.Good);
        var first = await page.Locator("#report a.permalink").GetAttributeAsync("href");

        await page.GotoAsync("/");
        await page.GetByLabel("Server name").FillAsync(SiteFixture.Good);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".reuse-notice")).ToContainTextAsync("Use \"Run again\" for a new test.");
        Assert.Equal(first, await page.Locator("#report a.permalink").GetAttributeAsync("href"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Run again" }).ClickAsync();
        await Expect(page.Locator("#report a.permalink")).Not.ToHaveAttributeAsync("href", first!);
        await Expect(page.Locator(".reuse-notice")).ToHaveCountAsync(0);
        Assert.EndsWith($"/?server_name={SiteFixture.Good}", page.Url, StringComparison.Ordinal);
    }
}
