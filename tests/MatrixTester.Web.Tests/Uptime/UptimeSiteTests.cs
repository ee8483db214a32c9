using System.Net;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Uptime;

/// <summary>A watched name's uptime on its page, in its feed and on the uptime badge, from a known stored history.</summary>
public sealed class UptimeSiteTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Scheduled checks 1 and 2 days ago worked, 3 days ago broke; a visitor's broken result an hour ago does not count.</summary>
    private async Task<string> HistoryAsync()
    {
        var name = $"up{Guid.NewGuid():N}.example.test";
        var results = fixture.Site.Services.GetRequiredService<IResultStore>();
        var uptime = fixture.Site.Services.GetRequiredService<UptimeStore>();
        var now = DateTimeOffset.UtcNow;
        foreach (var (daysAgo, verdict, scheduled) in new[] { (1.0, "Works", true), (2.0, "Works", true), (3.0, "Broken", true), (0.04, "Broken", false) })
        {
            var result = new StoredResult(ResultIds.New(), name, now.AddDays(-daysAgo), verdict, $"{verdict}.", """{"version":2}""");
            await results.SaveAsync(result, Ct);
            if (scheduled)
            {
                await uptime.MarkScheduledAsync(result.Id, Ct);
            }
        }
        return name;
    }

    [Fact]
    public async Task The_server_page_shows_the_uptime_of_each_window()
    {
        var name = await HistoryAsync();
        var page = await fixture.Site.CreateClient().GetDocumentAsync($"/s/{name}");

        var windows = page.QuerySelectorAll(".uptime .uptime-window").ToDictionary(w => w.GetAttribute("data-days")!, w => w.QuerySelector("dd")!.TextContent);
        Assert.Equal(new Dictionary<string, string>
        {
            ["7"] = "66.6 % (2 of 3 checks worked)",
            ["30"] = "66.6 % (2 of 3 checks worked)",
            ["90"] = "66.6 % (2 of 3 checks worked)",
        }, windows);
    }

    [Fact]
    public async Task A_name_nobody_watches_has_no_uptime_section()
    {
        var client = fixture.Site.CreateClient();
        var page = await client.GetDocumentAsync($"/s/{SiteFixture.Missing}");
        Assert.Null(page.QuerySelector(".uptime"));
        var svg = await client.GetStringAsync($"/badge/{SiteFixture.Missing}.svg?style=uptime", Ct);
        Assert.Contains(">no checks</text>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feed_says_the_uptime_in_its_subtitle()
    {
        var name = await HistoryAsync();
        var feed = System.Xml.Linq.XDocument.Parse(await fixture.Site.CreateClient().GetStringAsync($"/s/{name}.atom", Ct));
        var subtitle = feed.Root!.Element(System.Xml.Linq.XName.Get("subtitle", "http://www.w3.org/2005/Atom"))!.Value;
        Assert.EndsWith("Uptime of scheduled checks: 7 days 66.6 %, 30 days 66.6 %, 90 days 66.6 %.", subtitle, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_German_reader_gets_the_uptime_in_German_and_the_badge_stays_English()
    {
        var name = await HistoryAsync();
        var client = fixture.Site.CreateClient();

        var page = await client.GetDocumentAsync($"/s/{name}?lang=de");
        var feed = System.Xml.Linq.XDocument.Parse(await client.GetStringAsync($"/s/{name}.atom?lang=de", Ct));
        var svg = await client.GetStringAsync($"/badge/{name}.svg?style=uptime&days=7&lang=de", Ct);

        Assert.Equal("Verfügbarkeit", page.QuerySelector("#uptime-title")!.TextContent);
        var window = page.QuerySelector(".uptime-window[data-days='30']")!;
        Assert.Equal("30 Tage", window.QuerySelector("dt")!.TextContent);
        Assert.Equal("66.6 % (2 von 3 Prüfungen erfolgreich)", window.QuerySelector("dd")!.TextContent);
        Assert.Equal("Wie die Verfügbarkeit gezählt wird", page.QuerySelector(".uptime-note a")!.TextContent);
        Assert.Equal($"MatrixTester-Ergebnisse für {name}, deren Urteil sich vom vorherigen Ergebnis unterscheidet. Verfügbarkeit laut geplanten Prüfungen: 7 Tage 66.6 %, 30 Tage 66.6 %, 90 Tage 66.6 %.",
            feed.Root!.Element(System.Xml.Linq.XName.Get("subtitle", "http://www.w3.org/2005/Atom"))!.Value);
        Assert.Equal($"Änderungen des Federation-Ergebnisses für {name}", feed.Root!.Element(System.Xml.Linq.XName.Get("title", "http://www.w3.org/2005/Atom"))!.Value);
        Assert.Contains(feed.Root!.Elements(System.Xml.Linq.XName.Get("entry", "http://www.w3.org/2005/Atom")),
            e => e.Element(System.Xml.Linq.XName.Get("title", "http://www.w3.org/2005/Atom"))!.Value.EndsWith("(ältestes gespeichertes Ergebnis)", StringComparison.Ordinal));
        Assert.Contains($"<title>Matrix federation uptime for {name} over 7 days: 66.6 % (2 of 3 checks worked)</title>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_uptime_badge_shows_a_window_and_refuses_others()
    {
        var name = await HistoryAsync();
        var client = fixture.Site.CreateClient();

        var svg = await client.GetStringAsync($"/badge/{name}.svg?style=uptime&days=7", Ct);
        Assert.Contains(">uptime 7d</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">66.6 %</text>", svg, StringComparison.Ordinal);
        Assert.Contains("fill=\"#cf222e\"", svg, StringComparison.Ordinal);
        Assert.Contains($"<title>Matrix federation uptime for {name} over 7 days: 66.6 % (2 of 3 checks worked)</title>", svg, StringComparison.Ordinal);
        Assert.Contains(">uptime 30d</text>", await client.GetStringAsync($"/badge/{name}.svg?style=uptime", Ct), StringComparison.Ordinal);
        using var odd = await client.GetAsync($"/badge/{name}.svg?style=uptime&days=5", Ct);
        Assert.Equal(HttpStatusCode.NotFound, odd.StatusCode);
        // Without the style, the badge is still the latest verdict (the visitor's broken result).
        Assert.Contains(">broken</text>", await client.GetStringAsync($"/badge/{name}.svg", Ct), StringComparison.Ordinal);
    }
}
