using System.Net;

namespace MatrixTester.Web.Tests;

public sealed class PermalinkTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> RunAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync($"/api/v2/report?server_name={name}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Result-Id").Single();
    }

    [Fact]
    public async Task The_permalink_page_renders_the_stored_report_exactly_as_the_live_result_did()
    {
        var client = fixture.Site.CreateClient();
        var live = await client.GetDocumentAsync($"/?server_name={SiteFixture.Good}");
        var liveReport = live.QuerySelector("#report")!;
        var id = liveReport.GetAttribute("data-result-id")!;

        var stored = await client.GetDocumentAsync($"/r/{id}");
        Assert.Equal(liveReport.OuterHtml, stored.QuerySelector("#report")!.OuterHtml);
        Assert.NotNull(stored.QuerySelector(".stored-note time[datetime]"));
        var again = stored.QuerySelector("form.run-again")!;
        Assert.Equal("/", again.GetAttribute("action"));
        Assert.Equal(SiteFixture.Good, again.QuerySelector("input[name=server_name]")!.GetAttribute("value"));
        Assert.Equal("Run again", again.QuerySelector("button")!.TextContent);

        var fragment = await client.GetDocumentAsync($"/r/{id}?handler=Fragment");
        Assert.Equal(liveReport.OuterHtml, fragment.QuerySelector("#report")!.OuterHtml);
    }

    [Fact]
    public async Task Ids_are_long_random_and_distinct_per_run()
    {
        var client = fixture.Site.CreateClient();
        // Two different names: identical requests within the reuse window share one run (and permalink) by design.
        var a = await RunAsync(client, "ids-a.example.test");
        var b = await RunAsync(client, "ids-b.example.test");
        Assert.NotEqual(a, b);
        Assert.Matches("^[A-Za-z0-9_-]{24}$", a);
    }

    [Fact]
    public async Task The_server_page_lists_recent_results_newest_first_with_links()
    {
        var client = fixture.Site.CreateClient();
        const string name = "history.example.test";
        var first = await RunAsync(client, name);
        var second = await RunAsync(client, name);
        var doc = await client.GetDocumentAsync($"/s/{name}");
        var links = doc.QuerySelectorAll("table.history a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"/r/{second}", $"/r/{first}"], links.Take(2));
        await client.GetDocumentAsync("/s/" + Uri.EscapeDataString("not a name"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Results_survive_a_restart_on_the_same_data_directory()
    {
        var client = fixture.Site.CreateClient();
        var id = await RunAsync(client, SiteFixture.Missing);
        var before = (await client.GetDocumentAsync($"/r/{id}")).QuerySelector("#report")!.OuterHtml;
        var json = await client.GetStringAsync($"/api/v2/results/{id}", Ct);

        await using var restarted = new SiteFactory(fixture.Lab, fixture.DataDirectory);
        var again = restarted.CreateClient();
        Assert.Equal(before, (await again.GetDocumentAsync($"/r/{id}")).QuerySelector("#report")!.OuterHtml);
        Assert.Equal(json, await again.GetStringAsync($"/api/v2/results/{id}", Ct));
        Assert.True(File.Exists(Path.Combine(fixture.DataDirectory, "results.db")));
    }

    [Fact]
    public async Task The_store_is_a_SQLite_file_in_write_ahead_log_mode()
    {
        await RunAsync(fixture.Site.CreateClient(), SiteFixture.Missing);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(fixture.DataDirectory, "results.db")};Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
    }
}
