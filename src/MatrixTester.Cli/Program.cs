using System.Text.Json;
using MatrixTester.Cli;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Reports;

// matrix-tester check <server_name>: the same engine as the site, in a terminal. Exit 0 = federation works,
// 1 = it does not, 2 = bad usage.
var options = CliOptions.Parse(args, out var usageError);
if (options is null)
{
    if (usageError is not null)
    {
        Console.Error.WriteLine(usageError);
        Console.Error.WriteLine();
    }
    Console.Error.WriteLine(CliOptions.Usage);
    return usageError is null && args.Length > 0 ? 0 : 2;
}

IDiagnosisService engine;
try
{
    engine = DiagnosisEngine.Create(options.Diagnosis, TimeProvider.System);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"Configuration error: {ex.Message}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var text = new TextRenderer(Console.Out);
if (options.Format == OutputFormat.Text)
{
    Console.WriteLine($"Checking {TerminalText.Safe(options.ServerName)} …");
}
DiagnosisReport? report = null;
try
{
    await foreach (var e in engine.RunAsync(options.ServerName, cancel.Token))
    {
        if (options.Format == OutputFormat.Text)
        {
            text.Event(e);
        }
        if (e is CompletedEvent completed)
        {
            report = completed.Report;
        }
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 1;
}

if (report is null)
{
    Console.Error.WriteLine("The diagnosis ended without a report.");
    return 1;
}
switch (options.Format)
{
    case OutputFormat.Json:
        Console.WriteLine(JsonSerializer.Serialize(report, ReportJson.Indented));
        break;
    default:
        text.Report(report);
        break;
}
return report.Verdict.FederationOk ? 0 : 1;
