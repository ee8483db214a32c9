using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Cli;

/// <summary>Readable streamed output: one line per step as it completes, then findings grouped by what they concern.</summary>
internal sealed class TextRenderer(TextWriter output, bool color, Uri? docsBase)
{
    public void Event(DiagnosisEvent e)
    {
        if (e is CompletedEvent)
        {
            return;
        }
        var mark = StepMarks.Of(e);
        output.WriteLine($"[{e.At.TotalMilliseconds,7:0} ms] {Paint(StepMarks.Symbol(mark), StepMarks.Color(mark))} {e.Stage,-12} {VisibleText.Escape(e.Summary)}");
    }

    public void Report(DiagnosisReport report)
    {
        output.WriteLine();
        if (report.Discovery is { Endpoints.Count: > 0 } discovery)
        {
            output.WriteLine("Endpoints (where other servers connect):");
            foreach (var endpoint in discovery.Endpoints)
            {
                output.WriteLine($"  {endpoint.Key,-24} step {endpoint.StepNumber,-3} Host: {VisibleText.Escape(endpoint.HostHeader)}  TLS name: {VisibleText.Escape(endpoint.TlsName)}{(endpoint.SrvTarget is { } t ? $"  via SRV target {VisibleText.Escape(t)}" : "")}");
            }
            output.WriteLine();
        }
        var groups = report.Findings.GroupBy(f => f.Subject ?? report.ServerName ?? report.Input);
        output.WriteLine(report.Findings.Count == 0 ? "No findings." : "Findings:");
        foreach (var group in groups)
        {
            output.WriteLine($"  {VisibleText.Escape(group.Key)}");
            foreach (var finding in group.OrderByDescending(f => f.Severity))
            {
                var label = finding.Severity switch { Severity.Error => Paint("ERROR", "31"), Severity.Warning => Paint("WARN ", "33"), _ => "info " };
                output.WriteLine($"    {label} {VisibleText.Escape(finding.Summary)}  [{finding.Id}]");
                if (finding.Detail.Length > 0 && finding.Detail != finding.Summary)
                {
                    output.WriteLine($"          {VisibleText.Escape(finding.Detail)}");
                }
                if (finding.Severity != Severity.Info)
                {
                    output.WriteLine($"          Fix: {VisibleText.Escape(finding.Fix)}");
                }
                output.WriteLine($"          Docs: {DocsLink(finding.Docs)}");
            }
        }
        output.WriteLine();
        output.WriteLine($"Verdict: {VisibleText.Escape(report.Verdict.Summary)} (FederationOK: {report.Verdict.FederationOk.ToString().ToLowerInvariant()}, {report.Duration.TotalMilliseconds:0} ms)");
        if (report.TwoWay is { } twoWay)
        {
            output.WriteLine(twoWay.Status == TwoWayStatus.NotConfigured
                ? $"Two-way check: not run. It needs the web site, which your server can reach as a Matrix server: {DocsLink("two-way#not-configured")}"
                : $"Two-way check: {twoWay.Status}: {VisibleText.Escape(twoWay.Summary)}");
        }
        if (report.MatrixRtc?.TokenCheck is { } tokens)
        {
            output.WriteLine(tokens.Status == Diagnostics.RtcToken.TokenCheckStatus.NotConfigured
                ? $"Call token check: not run. It needs the web site, which acts as the homeserver of a test user your authorization service must reach: {DocsLink("calls-token-check")}"
                : $"Call token check: {VisibleText.Escape(tokens.Summary)}");
        }
    }

    /// <summary>A docs link: absolute when the site's address is known (<c>--docs-base</c>), else the site path.</summary>
    public string DocsLink(string docs) => docsBase is null ? $"/docs/{docs}" : new Uri(docsBase, $"docs/{docs}").ToString();

    private string Paint(string text, string? code) => color && code is not null ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
