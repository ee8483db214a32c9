using System.Runtime.CompilerServices;
using System.Text.Json;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Hosting;
using MatrixTester.Web.Permalinks;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Diagnoses;

/// <summary>A finished diagnosis and its stored permalink.</summary>
public sealed record FinishedDiagnosis(DiagnosisReport Report, StoredResult Stored);

/// <summary>
/// Runs the engine for the site: every finished report is stored (the permalink) and logged with its verdict, the
/// same way for the page, the v2 API and the stream.
/// </summary>
public sealed class DiagnosisRunner(IDiagnosisService engine, IResultStore store, TimeProvider time, ILogger<DiagnosisRunner> logger)
{
    /// <summary>The engine's events, unchanged; the completed report is stored before its event is passed on.</summary>
    public async IAsyncEnumerable<(DiagnosisEvent Event, StoredResult? Stored)> StreamAsync(string input, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                    yield return (e, await SaveAsync(done.Report));
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

    public async Task<FinishedDiagnosis> RunAsync(string input, CancellationToken cancellationToken)
    {
        await foreach (var (e, stored) in StreamAsync(input, cancellationToken))
        {
            if (e is CompletedEvent done && stored is not null)
            {
                return new FinishedDiagnosis(done.Report, stored);
            }
        }
        throw new InvalidOperationException("The diagnosis ended without a report.");
    }

    private async Task<StoredResult> SaveAsync(DiagnosisReport report)
    {
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

public static class DiagnosisRunnerExtensions
{
    public static IServiceCollection AddDiagnosisRunner(this IServiceCollection services) =>
        services.AddSingleton<DiagnosisRunner>().AddSingleton<ServerNameInput>();
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
