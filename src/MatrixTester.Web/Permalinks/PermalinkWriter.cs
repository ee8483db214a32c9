using System.Text.Json;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Hosting;

namespace MatrixTester.Web.Permalinks;

/// <summary>
/// Turns a finished report into its permalink: a new unguessable id, the v2 JSON exactly as it will be served, and
/// the row in the result store. Every diagnosis the site runs is saved here, whichever page, API or stream ran it.
/// </summary>
public sealed class PermalinkWriter(IResultStore store, TimeProvider time, ILogger<PermalinkWriter> logger)
{
    public async Task<StoredResult> SaveAsync(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stored = new StoredResult(
            ResultIds.New(),
            report.ServerName ?? report.Input,
            time.GetUtcNow(),
            report.Verdict.Status.ToString(),
            report.Verdict.Summary,
            JsonSerializer.Serialize(report, ReportJson.Options));
        // Not the request's token: a visitor who closes the tab at the last moment still gets a working permalink.
        await store.SaveAsync(stored, CancellationToken.None);
        Log.Diagnosis(logger, stored.ServerName, stored.Verdict, report.Verdict.FederationOk, report.Duration.TotalMilliseconds, stored.Id);
        return stored;
    }
}
