using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Cli;

/// <summary>Readable streamed output: one line per step as it completes, then findings grouped by what they concern.</summary>
internal sealed class TextRenderer(TextWriter output)
{
    public void Event(DiagnosisEvent e)
    {
        if (e is CompletedEvent)
        {
            return;
        }
        var marker = e.Findings.Any(f => f.Severity == Severity.Error) ? "✗" : e.Findings.Any(f => f.Severity == Severity.Warning) ? "!" : e is ProgressEvent ? "…" : "✓";
        output.WriteLine($"[{e.At.TotalMilliseconds,7:0} ms] {marker} {e.Stage,-12} {TerminalText.Safe(e.Summary)}");
    }

    public void Report(DiagnosisReport report)
    {
        output.WriteLine();
        if (report.Discovery is { Endpoints.Count: > 0 } discovery)
        {
            output.WriteLine("Endpoints (where other servers connect):");
            foreach (var endpoint in discovery.Endpoints)
            {
                output.WriteLine($"  {endpoint.Key,-24} step {endpoint.StepNumber,-3} Host: {TerminalText.Safe(endpoint.HostHeader)}  TLS name: {TerminalText.Safe(endpoint.TlsName)}{(endpoint.SrvTarget is { } t ? $"  via SRV target {TerminalText.Safe(t)}" : "")}");
            }
            output.WriteLine();
        }
        var groups = report.Findings.GroupBy(f => f.Subject ?? report.ServerName ?? report.Input);
        output.WriteLine(report.Findings.Count == 0 ? "No findings." : "Findings:");
        foreach (var group in groups)
        {
            output.WriteLine($"  {TerminalText.Safe(group.Key)}");
            foreach (var finding in group.OrderByDescending(f => f.Severity))
            {
                var label = finding.Severity switch { Severity.Error => "ERROR", Severity.Warning => "WARN ", _ => "info " };
                output.WriteLine($"    {label} {TerminalText.Safe(finding.Summary)}  [{finding.Id}]");
                if (finding.Detail.Length > 0 && finding.Detail != finding.Summary)
                {
                    output.WriteLine($"          {TerminalText.Safe(finding.Detail)}");
                }
                if (finding.Severity != Severity.Info)
                {
                    output.WriteLine($"          Fix: {TerminalText.Safe(finding.Fix)}");
                }
                output.WriteLine($"          Docs: /docs/{finding.Docs}");
            }
        }
        output.WriteLine();
        output.WriteLine($"Verdict: {report.Verdict.Summary} (FederationOK: {report.Verdict.FederationOk.ToString().ToLowerInvariant()}, {report.Duration.TotalMilliseconds:0} ms)");
    }
}
