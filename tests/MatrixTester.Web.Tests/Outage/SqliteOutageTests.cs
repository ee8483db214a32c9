using System.Net;

namespace MatrixTester.Web.Tests.Outage;

/// <summary>
/// The embedded SQLite store on a data directory that fills up, or that is read-only, under the real site process:
/// diagnoses never stop working, saving says it failed, reads are served where they can be and answer 503 where they
/// cannot, and all recovers by itself once the directory is writable again.
/// </summary>
public sealed class SqliteOutageTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_a_full_data_directory_diagnoses_run_unsaved_stored_results_still_open_and_saving_resumes_when_space_returns()
    {
        await using var disk = await TmpfsDirectory.MountAsync("16", readOnly: false, Ct);
        await using var process = await SiteProcess.StartAsync(OutageSite.Environment(fixture, disk.Path), Ct);
        using var site = new OutageSite(process, SiteFixture.Good);

        var id = await site.DiagnosesAreSavedAsync();
        var json = await site.PermalinkOpensAsync(id);
        await site.HealthIsAsync(HttpStatusCode.OK);

        await disk.FillAsync();
        await site.DiagnosesWorkUnsavedAsync();
        // The file can still be read: stored results keep opening while new ones cannot be written.
        Assert.Equal(json, await site.PermalinkOpensAsync(id));
        await site.DiagnosesWorkUnsavedAsync();
        await site.HealthIsAsync(HttpStatusCode.ServiceUnavailable);
        await site.MetricsShowAsync(available: 0, outages: 1);

        disk.Free();
        await site.WaitForHealthAsync(HttpStatusCode.OK);
        Assert.Equal(json, await site.PermalinkOpensAsync(id));
        await site.PermalinkOpensAsync(await site.DiagnosesAreSavedAsync());
        await site.MetricsShowAsync(available: 1, outages: 1);
        site.LogShowsOneOutage();
    }

    [Fact]
    public async Task On_a_read_only_data_directory_diagnoses_run_unsaved_reads_answer_503_and_all_recovers_once_it_is_writable()
    {
        await using var disk = await TmpfsDirectory.MountAsync("16", readOnly: true, Ct);
        await using var process = await SiteProcess.StartAsync(OutageSite.Environment(fixture, disk.Path), Ct, healthy: false);
        using var site = new OutageSite(process, SiteFixture.Good);

        await site.DiagnosesWorkUnsavedAsync();
        // No database file can exist here, so nothing stored can be served.
        await site.PermalinksAnswer503Async("AAAAAAAAAAAAAAAAAAAAAAAA");
        await site.DiagnosesWorkUnsavedAsync();
        await site.HealthIsAsync(HttpStatusCode.ServiceUnavailable);
        await site.MetricsShowAsync(available: 0, outages: 1);

        await disk.MakeWritableAsync(Ct);
        await site.WaitForHealthAsync(HttpStatusCode.OK);
        await site.PermalinkOpensAsync(await site.DiagnosesAreSavedAsync());
        await site.MetricsShowAsync(available: 1, outages: 1);
        site.LogShowsOneOutage();
    }
}
