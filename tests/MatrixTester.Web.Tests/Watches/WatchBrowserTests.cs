using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MatrixTester.Web.Watches;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// In Debian's chromium: subscribe from a result page, then follow the confirmation link exactly as it arrived in
/// the real mail (the site's public base URL is its real address here, so the link is opened as sent).
/// </summary>
public sealed class WatchBrowserTests(BrowserFixture browser, WatchLab watch) : IClassFixture<BrowserFixture>, IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscribing_on_a_result_page_and_following_the_mailed_link_starts_the_watch()
    {
        var (name, _) = await watch.ServerAsync();
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}/";
        var settings = watch.Settings(TimeSpan.FromHours(6));
        settings["Site:PublicUrl"] = baseUrl;
        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "browser"), settings);
        site.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        site.StartServer();
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var report = await client.GetAsync($"/api/v2/report?server_name={name}", Ct);
        var id = report.Headers.GetValues("X-Result-Id").Single();

        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        await page.GotoAsync($"/r/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Watch this server" })).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync("admin@example.test");
        await BrowserFixture.ScreenshotAsync(page, "watch-01-form");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Watch {name}" }).ClickAsync();
        await Expect(page.Locator("#watch-email-pending")).ToContainTextAsync("Check your mail");

        var mail = (await watch.Mail.WaitForAsync(1, TimeSpan.FromSeconds(20))).Single(m => (m.Subject ?? "").Contains(name, StringComparison.Ordinal));
        var link = Regex.Match(mail.TextBody ?? "", Regex.Escape(baseUrl) + @"watches/confirm\?token=[A-Za-z0-9_-]+").Value;
        Assert.NotEmpty(link);
        var store = site.Services.GetRequiredService<WatchStore>();
        Assert.Empty(await store.ActiveAsync(name, Ct)); // not before the link is followed

        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, start watching" }).ClickAsync();
        await Expect(page.Locator("#watch-confirmed")).ToContainTextAsync("admin@example.test");
        await BrowserFixture.ScreenshotAsync(page, "watch-02-confirmed");
        Assert.Equal("admin@example.test", Assert.Single(await store.ActiveAsync(name, Ct)).Email);

        // The link is spent: following it again confirms nothing.
        var again = await page.GotoAsync(link);
        Assert.Equal(404, again!.Status);
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_foreign_page_that_submits_the_watch_form_gets_403_and_creates_nothing()
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}/";
        var settings = watch.Settings(TimeSpan.FromHours(6));
        settings["Site:PublicUrl"] = baseUrl;
        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "browser-foreign"), settings);
        site.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        site.StartServer();
        var mailbox = $"visitor-{Guid.NewGuid():N}@example.org";

        // The attacker's page, on an origin of its own: it posts the site's watch form as soon as it loads.
        var context = await browser.Browser.NewContextAsync();
        await context.RouteAsync("http://attacker.test/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $"""
                <form method="post" action="{baseUrl}watch">
                  <input name="server_name" value="victim.example.org"><input name="email" value="{mailbox}">
                </form>
                <script>document.forms[0].submit()</script>
                """,
        }));
        var page = await context.NewPageAsync();
        var posted = page.WaitForResponseAsync(r => r.Url == $"{baseUrl}watch");
        await page.GotoAsync("http://attacker.test/");
        var response = await posted;

        Assert.Equal(403, response.Status);
        Assert.Equal(0, await site.Services.GetRequiredService<WatchStore>().CountForMailboxAsync(mailbox, Ct));
        await context.CloseAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
