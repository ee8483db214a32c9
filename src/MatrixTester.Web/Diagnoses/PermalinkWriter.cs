using Microsoft.Extensions.Options;
using System.Text.Json;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// Turns a finished report into its permalink: a new unguessable id, the v2 JSON exactly as it will be served, and
/// the row in the result store, with the facts the statistics count (when they are on). Every diagnosis the site runs is saved here, whichever page, API or stream ran it.
/// The diagnosis never depends on it: when the store is unavailable the result is returned unsaved (no permalink).
/// </summary>
public sealed class PermalinkWriter(IResultStore store, IOptions<StatisticsOptions> statisticsOptions, TimeProvider time, ILogger<PermalinkWriter> logger)
{
    private long _notSaved;

    /// <summary>Finished diagnoses returned without a permalink because the store was unavailable (for the metrics).</summary>
    public long NotSaved => Interlocked.Read(ref _notSaved);

    /// <summary>The stored form of the report, and whether it was saved (only then does its id open anywhere).</summary>
    public async Task<(StoredResult Result, bool Saved)> SaveAsync(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // The list columns hold what the reading says (the badge, the history picture and the feed read only them):
        // its federation state, so a run stopped by the time limit is "Incomplete" there too, and its summary line.
        var reading = ReportReading.Of(report);
        var stored = new StoredResult(
            ResultIds.New(),
            reading.Name,
            time.GetUtcNow(),
            reading.Federation.State.ToString(),
            // Kept with the result in English, whatever the language of the request that ran it.
            MatrixTester.Diagnostics.Languages.In(MatrixTester.Diagnostics.Languages.English, () => VerdictWords.Summary(reading)),
            JsonSerializer.Serialize(report, ReportJson.Options))
        {
            Facts = statisticsOptions.Value.Enabled ? StatisticFacts.Of(reading) : [],
        };
        try
        {
            // Not the request's token: a visitor who closes the tab at the last moment still gets a working permalink.
            await store.SaveAsync(stored, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // The outage itself is logged once by StoreAvailability; this result simply has no permalink.
            Interlocked.Increment(ref _notSaved);
            Log.Diagnosis(logger, stored.ServerName, stored.Verdict, report.Verdict.FederationOk, report.Duration.TotalMilliseconds, "not saved");
            return (stored, false);
        }
        Log.Diagnosis(logger, stored.ServerName, stored.Verdict, report.Verdict.FederationOk, report.Duration.TotalMilliseconds, stored.Id);
        return (stored, true);
    }
}
