using System.Runtime.CompilerServices;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Abuse;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// A finished diagnosis: the report, its stored form (<see cref="Result"/>: id, time and the v2 JSON), and whether
/// it was saved. Only a saved result has a permalink.
/// </summary>
public sealed record FinishedDiagnosis(DiagnosisReport Report, StoredResult Result, bool Saved)
{
    /// <summary>What the page, the APIs and the stream say instead of a permalink when the result was not saved.</summary>
    public static string NotSavedNotice => SiteText.Get("notice.not_saved");

    /// <summary>The permalink id, or null when the result could not be saved.</summary>
    public string? PermalinkId => Saved ? Result.Id : null;
}

/// <summary>
/// Runs the engine for the site: every finished report goes to its permalink (<see cref="PermalinkWriter"/>) before
/// its completed event is passed on, the same way for the page, the APIs and the stream.
/// </summary>
public sealed class DiagnosisRunner(IDiagnosisService engine, PermalinkWriter permalinks, TimeProvider time, ILogger<DiagnosisRunner> logger)
{
    /// <summary>The engine's events, unchanged; the completed one comes with the finished diagnosis.</summary>
    public async IAsyncEnumerable<(DiagnosisEvent Event, FinishedDiagnosis? Finished)> StreamAsync(string input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var completed = false;
        try
        {
            await foreach (var e in engine.RunAsync(input, cancellationToken))
            {
                if (e is CompletedEvent done)
                {
                    completed = true;
                    var (result, saved) = await permalinks.SaveAsync(done.Report);
                    yield return (e, new FinishedDiagnosis(done.Report, result, saved));
                }
                else
                {
                    yield return (e, null);
                }
            }
        }
        finally
        {
            if (!completed)
            {
                var elapsedMs = time.GetElapsedTime(start).TotalMilliseconds;
                Log.DiagnosisCancelled(logger, input.Length > 100 ? input[..100] : input, elapsedMs);
            }
        }
    }
}

public static class DiagnosisServices
{
    /// <summary>
    /// Running diagnoses: the admission every door uses (the diagnosis rate limit, the fair shares of the slots, the
    /// per-name sharing) in front of the runner and its permalinks.
    /// </summary>
    public static IServiceCollection AddDiagnoses(this IServiceCollection services) =>
        services.AddAbuseOptions().AddSingleton<ServerNameInput>().AddSingleton<DiagnosisRateLimit>().AddSingleton<DiagnosisSlots>()
            .AddSingleton<PermalinkWriter>().AddSingleton<DiagnosisRunner>().AddSingleton<SharedDiagnoses>().AddSingleton<DiagnosisAdmission>();
}

/// <summary>The one place that decides whether a <c>server_name</c> parameter is worth running.</summary>
public sealed class ServerNameInput(IOptions<SiteOptions> options)
{
    public int MaxLength => options.Value.MaxInputLength;

    /// <summary>Null when acceptable (even if not a valid server name: the report explains that); else the 400 message.</summary>
    public string? Problem(string? value) =>
        string.IsNullOrEmpty(value) ? "Missing server_name parameter"
        : value.Length > MaxLength ? $"server_name is too long ({value.Length} characters; at most {MaxLength})"
        : null;
}
