using System.Text.Json;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Cli;

/// <summary>The CLI as a testable unit: arguments in, text out, exit code back (0 works, 1 broken, 2 bad usage).</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        await RunAsync(args, output, error, new CliTerminal(IsTerminal: false, NoColor: false), cancellationToken);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CliTerminal terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        if (args is ["findings"])
        {
            foreach (var definition in FindingCatalog.All)
            {
                await output.WriteLineAsync($"{definition.Id,-36} {definition.Severity,-8} {definition.Title}  (/docs/{definition.Docs})");
            }
            return 0;
        }
        var options = CliOptions.Parse(args, out var usageError);
        if (options is null)
        {
            if (usageError is not null)
            {
                await error.WriteLineAsync(usageError);
                await error.WriteLineAsync();
            }
            await error.WriteLineAsync(CliOptions.Usage);
            return usageError is null && args.Count > 0 ? 0 : 2;
        }

        IDiagnosisService engine;
        try
        {
            engine = DiagnosisEngine.Create(options.Diagnosis, TimeProvider.System);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidDataException or InvalidOperationException)
        {
            await error.WriteLineAsync($"Configuration error: {ex.Message}");
            return 2;
        }

        var text = new TextRenderer(output, options.Color ?? (terminal.IsTerminal && !terminal.NoColor), options.DocsBase);
        if (options.Format == OutputFormat.Text)
        {
            await output.WriteLineAsync($"Checking {VisibleText.Escape(options.ServerName)} …");
        }
        DiagnosisReport? report = null;
        try
        {
            await foreach (var e in engine.RunAsync(options.ServerName, cancellationToken))
            {
                if (options.Format == OutputFormat.Text)
                {
                    text.Event(e);
                    await output.FlushAsync(cancellationToken);
                }
                if (e is CompletedEvent completed)
                {
                    report = completed.Report;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled.");
            return 1;
        }

        if (report is null)
        {
            await error.WriteLineAsync("The diagnosis ended without a report.");
            return 1;
        }
        switch (options.Format)
        {
            case OutputFormat.Json:
                await output.WriteLineAsync(JsonSerializer.Serialize(report, ReportJson.Indented));
                break;
            case OutputFormat.Go:
                await output.WriteLineAsync(GoReportWriter.Write(report));
                break;
            default:
                text.Report(report);
                break;
        }
        // The verdict (what peers do), not the Go report's stricter FederationOK: "works with warnings" exits 0.
        return report.Verdict.Status == VerdictStatus.Broken ? 1 : 0;
    }
}

/// <summary>Where the text goes: a terminal (colour by default) or not, and whether NO_COLOR (no-color.org) is set.</summary>
internal sealed record CliTerminal(bool IsTerminal, bool NoColor)
{
    public static CliTerminal FromConsole() =>
        new(!Console.IsOutputRedirected, !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));
}
