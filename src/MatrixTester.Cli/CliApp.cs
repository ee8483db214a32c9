using System.Globalization;
using System.Text.Json;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Cli;

/// <summary>
/// The CLI as a testable unit: arguments in, text out, exit code back, decided by the report's reading like every
/// surface of the site: 0 federation works, 1 broken, 2 bad usage (a server name that is not one included), 3 the test
/// did not finish.
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        await RunAsync(args, output, error, new CliTerminal(IsTerminal: false, NoColor: false), cancellationToken);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CliTerminal terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(args);
        // --lang xx anywhere on the line, else the locale: only the words change, never the JSON or the exit status.
        var lang = args.Select((a, i) => a == "--lang" && i + 1 < args.Count ? args[i + 1] : null).LastOrDefault(a => a is not null);
        args = [.. args.Where((a, i) => a != "--lang" && (i == 0 || args[i - 1] != "--lang"))];
        CultureInfo.CurrentUICulture = Languages.Culture(CliText.Language(lang, terminal.Environment));
        if (args is ["findings"])
        {
            foreach (var definition in FindingCatalog.All)
            {
                await output.WriteLineAsync($"{definition.Id,-36} {definition.Severity,-8} {definition.Title()}  (/docs/{definition.Docs})");
            }
            return 0;
        }
        var options = CliOptions.Parse(args, out var request, out var usageError);
        switch (request)
        {
            case CliOptions.Request.Version:
                await output.WriteLineAsync($"matrix-tester {DiagnosisOptions.EngineVersion}");
                return ExitCodes.Works;
            case CliOptions.Request.Help:
                // Asked for: on standard output, success. Given nothing at all: a usage error.
                await (args.Count == 0 ? error : output).WriteLineAsync(CliOptions.Usage);
                return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Works;
        }
        if (options is null)
        {
            await error.WriteLineAsync(usageError);
            await error.WriteLineAsync();
            await error.WriteLineAsync(CliText.Get("help_hint"));
            return ExitCodes.Usage;
        }

        IDiagnosisService engine;
        try
        {
            engine = DiagnosisEngine.Create(options.Diagnosis, TimeProvider.System);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidDataException or InvalidOperationException)
        {
            await error.WriteLineAsync(CliText.Format("configuration_error", ex.Message));
            return ExitCodes.Usage;
        }

        if (options.IsBatch)
        {
            try
            {
                return await CliBatch.RunAsync(engine, options, output, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("Cancelled.");
                return ExitCodes.Incomplete;
            }
        }
        var text = new TextRenderer(output, options.Color ?? (terminal.IsTerminal && !terminal.NoColor), options.DocsBase);
        if (options.Format == OutputFormat.Text)
        {
            await output.WriteLineAsync(CliText.Format("checking", VisibleText.Escape(options.ServerName)));
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
            await error.WriteLineAsync(CliText.Get("cancelled"));
            return ExitCodes.Incomplete;
        }

        if (report is null)
        {
            await error.WriteLineAsync(CliText.Get("no_report"));
            return ExitCodes.Incomplete;
        }
        var reading = ReportReading.Of(report);
        switch (options.Format)
        {
            case OutputFormat.Json:
                await output.WriteLineAsync(JsonSerializer.Serialize(report, ReportJson.Indented));
                break;
            case OutputFormat.Go:
                await output.WriteLineAsync(GoReportWriter.Write(report));
                break;
            default:
                text.Report(reading);
                break;
        }
        if (reading.Run == RunOutcome.InvalidInput)
        {
            await error.WriteLineAsync(CliText.Format("not_a_name", VisibleText.Escape(report.Input)));
        }
        return ExitCodes.For(reading.Federation.State);
    }
}

/// <summary>The exit status, from the federation verdict (what peers do), not the Go report's stricter FederationOK.</summary>
internal static class ExitCodes
{
    public const int Works = 0;
    public const int Broken = 1;
    public const int Usage = 2;
    public const int Incomplete = 3;

    /// <summary>"Works with warnings" is working; a test cut short is unknown, not broken; an input that is not a name is a usage error.</summary>
    public static int For(FederationState state) => state switch
    {
        FederationState.Works or FederationState.WorksWithWarnings => Works,
        FederationState.Broken => Broken,
        FederationState.NotChecked => Usage,
        _ => Incomplete,
    };

    /// <summary>Several names: the most serious answer wins (broken, then not finished, then not a name), else works.</summary>
    public static int Overall(IEnumerable<FederationState> states)
    {
        var codes = states.Select(For).ToHashSet();
        return codes.Contains(Broken) ? Broken : codes.Contains(Incomplete) ? Incomplete : codes.Contains(Usage) ? Usage : Works;
    }
}

/// <summary>
/// Where the text goes: a terminal (colour by default) or not, whether NO_COLOR (no-color.org) is set, and the
/// environment the locale is read from (none: English).
/// </summary>
internal sealed record CliTerminal(bool IsTerminal, bool NoColor)
{
    public Func<string, string?> Environment { get; init; } = _ => null;

    public static CliTerminal FromConsole() =>
        new(!Console.IsOutputRedirected, !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("NO_COLOR"))) { Environment = System.Environment.GetEnvironmentVariable };
}
