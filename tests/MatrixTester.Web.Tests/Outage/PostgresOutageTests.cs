using System.Net;
using MatrixTester.Web.Tests.Storage;

namespace MatrixTester.Web.Tests.Outage;

/// <summary>
/// PostgreSQL stopped (pg_ctl stop) and started again under the real site process: diagnoses never stop working,
/// stored results answer 503 meanwhile, and everything saved before the outage opens after it.
/// </summary>
public sealed class PostgresOutageTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_postgres_is_down_diagnoses_run_unsaved_permalinks_answer_503_and_all_recovers_when_it_returns()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync(Ct);
        var data = Directory.CreateTempSubdirectory("matrixtester-pg-outage-").FullName;
        var environment = OutageSite.Environment(fixture, data);
        environment["Storage__Provider"] = "Postgres";
        environment["Storage__ConnectionString"] = postgres.ConnectionString;
        await using var process = await SiteProcess.StartAsync(environment, Ct);
        using var site = new OutageSite(process, SiteFixture.Good);

        // Before: saved, and the permalink opens.
        var id = await site.DiagnosesAreSavedAsync();
        var json = await site.PermalinkOpensAsync(id);
        await site.HealthIsAsync(HttpStatusCode.OK);
        await site.MetricsShowAsync(available: 1, outages: 0);

        // During: PostgreSQL is gone.
        await postgres.StopServerAsync(Ct);
        await site.DiagnosesWorkUnsavedAsync();
        await site.PermalinksAnswer503Async(id);
        await site.WatchesAnswer503Async();
        await site.HealthIsAsync(HttpStatusCode.ServiceUnavailable);
        // A second round meets the open circuit: still no 500, still no second outage in the log.
        await site.DiagnosesWorkUnsavedAsync();
        await site.PermalinksAnswer503Async(id);
        await site.MetricsShowAsync(available: 0, outages: 1);

        // After: back by itself, with nobody restarting the site.
        await postgres.StartServerAsync(Ct);
        await site.WaitForHealthAsync(HttpStatusCode.OK);
        Assert.Equal(json, await site.PermalinkOpensAsync(id));
        var after = await site.DiagnosesAreSavedAsync();
        await site.PermalinkOpensAsync(after);
        await site.MetricsShowAsync(available: 1, outages: 1);
        site.LogShowsOneOutage();
        Directory.Delete(data, recursive: true);
    }
}
