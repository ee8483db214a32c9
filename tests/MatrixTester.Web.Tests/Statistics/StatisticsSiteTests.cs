using System.Net;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Tests.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Statistics;

/// <summary>
/// /stats from real diagnoses of lab servers (the export lab: a healthy server, one with an expired certificate, one
/// sending hostile text), on a site of its own so only these results count: the figures, no server name anywhere,
/// the cache, and the operator's switch.
/// </summary>
public sealed class StatisticsSiteTests(ExportFixture fixture) : IClassFixture<ExportFixture>, IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "matrixtester-stats-site-" + Guid.NewGuid().ToString("N"));
    private SiteFactory? _site;

    private SiteFactory Site(params (string Key, string Value)[] settings) =>
        _site = new SiteFactory(fixture.Lab, _data, settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    private static async Task RunAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync($"/api/v2/report?server_name={name}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_page_counts_each_tested_server_once_and_names_none_of_them()
    {
        var client = Site(("Statistics:MinimumServers", "1")).CreateClient();
        await RunAsync(client, ExportFixture.Healthy);
        await RunAsync(client, ExportFixture.Healthy);
        await RunAsync(client, ExportFixture.Expired);
        await RunAsync(client, "nowhere.export.test");
        await RunAsync(client, "https://not-a-name");

        using var response = await client.GetAsync("/stats", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);

        Assert.Equal("What the tester found on 3 servers tested in the last 30 days, each counted once, by its latest result. No server is named here. What is counted",
            page.QuerySelector(".stats-lede")!.TextContent);
        Assert.Equal("Federation works for 33.3 % of the servers whose test finished (1 of 3).", page.QuerySelector(".stats-works")!.TextContent);
        Assert.Equal("0 % of servers publish an IPv6 address for federation (0 of 3).", page.QuerySelector(".stats-ipv6")!.TextContent);
        Assert.Equal([(".well-known delegation", "2", "66.7 %"), ("no address found", "1", "33.3 %")], Rows(page, "delegation"));
        Assert.Equal([("Synapse", "2", "66.7 %")], Rows(page, "software"));
        Assert.Equal([("Synapse 1.140", "2", "66.7 %")], Rows(page, "versions"));
        Assert.Equal([("TLS 1.3", "2", "66.7 %")], Rows(page, "tls"));
        Assert.Equal([("MatrixTester Lab", "2", "66.7 %")], Rows(page, "issuers"));
        var expired = page.QuerySelectorAll("#stats-findings tbody tr").Single(r => r.QuerySelector("a")?.GetAttribute("href") == "/docs/tls-certificates#expired");
        Assert.Equal("1", expired.QuerySelectorAll("td")[1].TextContent);
        // Each chart is one labelled image whose name carries its figures.
        Assert.Equal(8, page.QuerySelectorAll("svg.stats-svg[role=img]").Length);
        Assert.StartsWith("How servers delegate: a bar chart of 3 servers: .well-known delegation 2 (66.7 %)", page.QuerySelector("#stats-delegation svg title")!.TextContent, StringComparison.Ordinal);
        foreach (var name in new[] { ExportFixture.Healthy, ExportFixture.Expired, "nowhere", "not-a-name", "export.test" })
        {
            Assert.DoesNotContain(name, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_figures_are_counted_once_per_cache_period()
    {
        var client = Site(("Statistics:CacheDuration", "01:00:00")).CreateClient();
        await RunAsync(client, ExportFixture.Healthy);
        var before = (await client.GetDocumentAsync("/stats")).QuerySelector(".stats-works")!.TextContent;

        await RunAsync(client, ExportFixture.Expired);

        Assert.Equal(2, (await _site!.Services.GetRequiredService<StatisticsStore>().CountAsync(DateTimeOffset.UtcNow.AddDays(-30), Ct)).Servers);
        Assert.Equal(before, (await client.GetDocumentAsync("/stats")).QuerySelector(".stats-works")!.TextContent);
        Assert.Equal("Federation works for 100 % of the servers whose test finished (1 of 1).", before);
    }

    [Fact]
    public async Task A_German_reader_gets_the_same_figures_in_German_from_the_same_count()
    {
        var client = Site(("Statistics:MinimumServers", "1"), ("Statistics:CacheDuration", "01:00:00")).CreateClient();
        await RunAsync(client, ExportFixture.Healthy);
        await RunAsync(client, ExportFixture.Expired);
        var english = await client.GetDocumentAsync("/stats?lang=en");

        var page = await client.GetDocumentAsync("/stats?lang=de");

        Assert.Equal("Federation works for 50 % of the servers whose test finished (1 of 2).", english.QuerySelector(".stats-works")!.TextContent);
        Assert.Equal("Federation-Statistik", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Federation funktioniert bei 50 % der Server, deren Test zu Ende lief (1 von 2).", page.QuerySelector(".stats-works")!.TextContent);
        Assert.Equal([("Delegation über .well-known", "2", "100 %")], Rows(page, "delegation"));
        Assert.Equal([("kaputt", "1", "50 %"), ("funktioniert", "1", "50 %")], Rows(page, "verdicts"));
        // Values the servers report are shown as they are.
        Assert.Equal([("Synapse 1.140", "2", "100 %")], Rows(page, "versions"));
        Assert.Equal([("MatrixTester Lab", "2", "100 %")], Rows(page, "issuers"));
        Assert.StartsWith("Wie Server delegieren: ein Balkendiagramm zu 2 Servern: Delegation über .well-known 2 (100 %)",
            page.QuerySelector("#stats-delegation svg title")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Die Zahlen als Tabelle", page.QuerySelector("#stats-delegation summary")!.TextContent);
        Assert.Equal(english.QuerySelector(".stats-counted")!.TextContent[8..], page.QuerySelector(".stats-counted")!.TextContent[11..]);
    }

    [Fact]
    public async Task An_operator_turns_statistics_off_and_then_nothing_is_kept_for_them()
    {
        var client = Site(("Statistics:Enabled", "false")).CreateClient();
        await RunAsync(client, ExportFixture.Healthy);

        using var response = await client.GetAsync("/stats", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null((await client.GetDocumentAsync("/")).QuerySelector("nav a[href='/stats']"));
        Assert.Equal(0, (await _site!.Services.GetRequiredService<StatisticsStore>().CountAsync(DateTimeOffset.UtcNow.AddDays(-30), Ct)).Servers);
    }

    private static List<(string, string, string)> Rows(AngleSharp.Dom.IDocument page, string chart) =>
        [.. page.QuerySelectorAll($"#stats-{chart} tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToArray()).Select(c => (c[0], c[1], c[2]))];

    public async ValueTask DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL file for a moment; a temp folder left behind is harmless.
        }
    }
}
