using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MatrixTester.Web.Tests.Storage;

/// <summary>
/// Two instances of the site, as behind a load balancer: each with its own (empty) data directory, both on one
/// PostgreSQL database. Whatever one stores, the other serves.
/// </summary>
public sealed class SharedDatabaseTests(SiteFixture site, PostgresDatabase database)
    : IClassFixture<SiteFixture>, IClassFixture<PostgresDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<WebApplicationFactory<Program>> InstanceAsync(string connectionString, string dataDirectory) =>
        await Task.FromResult(site.Site.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:ConnectionString"] = connectionString,
                ["Storage:DataDirectory"] = dataDirectory,
            }))));

    [Fact]
    public async Task A_result_stored_through_one_instance_opens_and_is_listed_through_the_other()
    {
        var connectionString = await database.NewSchemaAsync();
        var directoryA = Path.Combine(site.DataDirectory, "instance-a");
        var directoryB = Path.Combine(site.DataDirectory, "instance-b");
        await using var a = await InstanceAsync(connectionString, directoryA);
        await using var b = await InstanceAsync(connectionString, directoryB);
        var clientA = a.CreateClient();
        var clientB = b.CreateClient();

        using var response = await clientA.GetAsync($"/api/v2/report?server_name={SiteFixture.Good}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("X-Result-Id").Single();
        var json = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(json, await clientB.GetStringAsync($"/api/v2/results/{id}", Ct));
        var pageA = (await clientA.GetDocumentAsync($"/r/{id}")).QuerySelector("#report")!.OuterHtml;
        var pageB = (await clientB.GetDocumentAsync($"/r/{id}")).QuerySelector("#report")!.OuterHtml;
        Assert.Equal(pageA, pageB);

        var history = await clientB.GetDocumentAsync($"/s/{SiteFixture.Good}");
        Assert.Contains($"/r/{id}", history.QuerySelectorAll("table.history a").Select(l => l.GetAttribute("href")));

        // And the other way round, so neither instance is special.
        var second = (await clientB.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct)).Headers.GetValues("X-Result-Id").Single();
        await clientA.GetDocumentAsync($"/r/{second}");
        await clientB.GetDocumentAsync($"/r/{ResultIdThatDoesNotExist}", HttpStatusCode.NotFound);

        // Nothing went to the local SQLite files.
        Assert.False(File.Exists(Path.Combine(directoryA, "results.db")));
        Assert.False(File.Exists(Path.Combine(directoryB, "results.db")));
    }

    [Fact]
    public async Task The_health_check_reports_the_shared_database()
    {
        await using var instance = await InstanceAsync(await database.NewSchemaAsync(), Path.Combine(site.DataDirectory, "health"));
        var client = instance.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz", Ct));

        // A database that is not there: the site still starts (diagnoses work), but /healthz says so.
        await using var broken = await InstanceAsync("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2", Path.Combine(site.DataDirectory, "broken"));
        using var response = await broken.CreateClient().GetAsync("/healthz", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync(Ct));
    }

    private const string ResultIdThatDoesNotExist = "AAAAAAAAAAAAAAAAAAAAAAAA";
}
