using System.Text.Json;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Cli;

/// <summary>
/// Several names at once: <see cref="Parallel"/> diagnoses at a time, one line per name as each finishes (text, or a
/// JSON summary per line), then the overall exit status (<see cref="ExitCodes.Overall"/>).
/// </summary>
internal static class CliBatch
{
    /// <summary>Diagnoses at once: quick for a handful of servers, gentle on a long list.</summary>
    public const int Parallel = 4;

    public static async Task<int> RunAsync(IDiagnosisService engine, CliOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var names = options.ServerNames.DistinctBy(n => n.Trim(), StringComparer.Ordinal).ToList();
        var states = new List<FederationState>();
        using var slots = new SemaphoreSlim(Parallel);
        var running = names.Select(async name =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await DiagnoseAsync(engine, name, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running);
            running.Remove(done);
            var reading = await done;
            states.Add(reading.Federation.State);
            await output.WriteLineAsync(options.Format == OutputFormat.Json
                ? JsonSerializer.Serialize(ReadingSummary.Of(reading), ReportJson.Options)
                : Line(reading));
            await output.FlushAsync(cancellationToken);
        }
        return ExitCodes.Overall(states);
    }

    private static async Task<ReportReading> DiagnoseAsync(IDiagnosisService engine, string name, CancellationToken cancellationToken)
    {
        await foreach (var e in engine.RunAsync(name, cancellationToken))
        {
            if (e is CompletedEvent completed)
            {
                return ReportReading.Of(completed.Report);
            }
        }
        throw new InvalidOperationException($"The diagnosis of {name} ended without a report.");
    }

    /// <summary>"✗ example.org: Federation is broken · IPv4: broken · IPv6: no address · Clients: works · 1 error, 0 warnings".</summary>
    private static string Line(ReportReading reading)
    {
        var parts = VerdictWords.Chips(reading).Select(c => $"{c.Label}: {c.Value}").Prepend(VerdictWords.Headline(reading.Federation.State))
            .Append(VerdictWords.Pill(reading.Federation));
        return VisibleText.Escape($"{Mark(reading.Federation.State)} {reading.Name}: {string.Join(" · ", parts)}");
    }

    private static string Mark(FederationState state) => CheckWords.Symbol(state switch
    {
        FederationState.Works => CheckState.Passed,
        FederationState.WorksWithWarnings => CheckState.Warning,
        FederationState.Broken => CheckState.Failed,
        FederationState.Incomplete => CheckState.Incomplete,
        _ => CheckState.NotTested,
    });
}
