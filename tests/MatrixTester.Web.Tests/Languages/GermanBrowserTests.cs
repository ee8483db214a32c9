using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.Languages;

/// <summary>
/// A German visitor (the browser asks for de-DE) in chromium: the home page, a broken result with its German fixes
/// (live and on the permalink), the reuse notice and the 404 page, at desktop width and at 390 px; screenshots of each
/// go to TestResults/screenshots.
/// </summary>
public sealed class GermanBrowserTests(LanguageFixture fixture) : IClassFixture<LanguageFixture>
{
    [Theory]
    [InlineData(1280, "desktop")]
    [InlineData(390, "phone")]
    public async Task A_german_visitor_reads_home_broken_result_notices_and_errors_in_german(int width, string shot)
    {
        var name = await fixture.BrokenServerAsync();
        var page = await fixture.NewPageAsync(new() { Locale = "de-DE", ViewportSize = new() { Width = width, Height = 900 } });

        await page.GotoAsync("/");
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Können andere Matrix-Server Ihren erreichen?");
        await Expect(page.Locator("nav.languages a[aria-current=true]")).ToHaveTextAsync("Deutsch");
        await AssertFitsAsync(page, width);
        await BrowserFixture.ScreenshotAsync(page, $"i18n-de-home-{shot}");

        await page.GetByLabel("Servername").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Federation testen" }).ClickAsync();
        await Expect(page.Locator("#report .verdict h2")).ToContainTextAsync($"Federation ist kaputt für {name}", new() { Timeout = 60_000 });
        await Expect(page.Locator("#now-checking")).ToContainTextAsync($"Prüfung von {name} in");
        await Expect(page.Locator("#report .verdict-summary")).ToContainTextAsync("Andere Homeserver können ihm keine Nachrichten zustellen.");
        await Expect(page.Locator("#report .chip-ipv6")).ToContainTextAsync("IPv6: kaputt");
        await Expect(page.Locator("#report .findings h2")).ToHaveTextAsync("2 Probleme zu beheben");
        var expired = page.Locator("#report .finding-error", new() { HasText = "tls.cert.expired" });
        await Expect(expired.Locator("h3")).ToContainTextAsync("ist vor 1 Tag abgelaufen");
        await Expect(expired.Locator(".finding-fix")).ToContainTextAsync("So beheben Sie es: Erneuern Sie das Zertifikat");
        await Expect(expired.Locator("a.docs-link")).ToHaveTextAsync("Mehr dazu in der Doku");
        await Expect(page.Locator("#report .checklist h2")).ToHaveTextAsync("Checkliste");
        await Expect(page.Locator("#report #timeline-title")).ToHaveTextAsync("Wohin die Zeit ging");
        await Expect(page.Locator("#live-groups .live-log summary")).ToContainTextAsync("Live-Protokoll");
        await AssertFitsAsync(page, width);
        await BrowserFixture.ScreenshotAsync(page, $"i18n-de-broken-live-{shot}");

        var permalink = (await page.Locator("#report a.permalink").GetAttributeAsync("href"))!;
        await page.GotoAsync(permalink);
        await Expect(page.Locator("h1")).ToContainTextAsync($"Ergebnis für {name}");
        await Expect(page.Locator("#watch-heading")).ToHaveTextAsync("Diesen Server beobachten");
        await page.EvaluateAsync("document.querySelectorAll('#report details').forEach(d => d.open = true)");
        await Expect(page.Locator("#details-title")).ToHaveTextAsync("Technische Details");
        await AssertFitsAsync(page, width);
        await BrowserFixture.ScreenshotAsync(page, $"i18n-de-broken-permalink-{shot}");

        // The same name again within the reuse window: the result is shared, and the notice says so in German.
        await page.GotoAsync($"/?server_name={name}");
        await Expect(page.Locator(".reuse-notice")).ToContainTextAsync($"Dieses Ergebnis für {name} stammt von");
        await Expect(page.Locator(".reuse-notice")).ToContainTextAsync("„Erneut testen“");
        await BrowserFixture.ScreenshotAsync(page, $"i18n-de-reuse-notice-{shot}");

        await page.GotoAsync("/r/AAAAAAAAAAAAAAAAAAAAAAAA");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Seite nicht gefunden");
        await Expect(page.Locator(".error-page p").First).ToContainTextAsync("Gespeicherte Ergebnisse werden 90 Tage aufbewahrt");
        await BrowserFixture.ScreenshotAsync(page, $"i18n-de-404-{shot}");

        await page.GotoAsync("/docs/tls-certificates");
        await Expect(page.Locator("article.prose")).ToHaveAttributeAsync("lang", "de");
        await Expect(page.Locator("article.prose h1")).ToContainTextAsync("TLS-Zertifikate");
        await page.GotoAsync("/docs/deployment");
        await Expect(page.Locator(".docs-untranslated")).ToHaveTextAsync("Diese Seite ist noch nicht übersetzt; hier ist sie auf Englisch.");
        await Expect(page.Locator("article.prose")).ToHaveAttributeAsync("lang", "en");
        await BrowserFixture.ScreenshotAsync(page, $"i18n-de-docs-untranslated-{shot}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_language_switch_changes_the_page_and_is_remembered()
    {
        var page = await fixture.NewPageAsync(new() { Locale = "en-US" });
        await page.GotoAsync("/docs");
        await page.Locator("nav.languages a", new() { HasText = "Deutsch" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Dokumentation");
        await page.GotoAsync("/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Können andere Matrix-Server Ihren erreichen?");
        await page.Locator("nav.languages a", new() { HasText = "English" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Can other Matrix servers reach yours?");
        await page.Context.CloseAsync();
    }

    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        var wide = await page.EvaluateAsync<string[]>($$"""
            () => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > {{width}} + 1 && !e.closest('.table-wrap, pre, .timeline-scroll'))
              .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 60))
            """);
        Assert.True(scrollWidth <= width, $"The page is {scrollWidth} px wide at a {width} px viewport:\n{string.Join("\n", wide)}");
    }
}
