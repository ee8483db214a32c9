using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Cli;

/// <summary>Readable streamed output: one line per step as it completes, then findings grouped by what they concern.</summary>
internal sealed class TextRenderer(TextWriter output, bool color, Uri? docsBase)
{
    public void Event(DiagnosisEvent e)
    {
        // A terminal prints lines as steps finish; the waits are for the live web view's "waiting for …" line.
        if (e is CompletedEvent or WaitEvent)
        {
            return;
        }
        var mark = StepMarks.Of(e);
        output.WriteLine($"[{e.At.TotalMilliseconds,7:0} ms] {Paint(StepMarks.Symbol(mark), StepMarks.Color(mark))} {e.Stage,-12} {VisibleText.Escape(e.Summary)}");
    }

    public void Report(ReportReading reading)
    {
        var report = reading.Report;
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
        Findings(report);
        output.WriteLine();
        Checklist(Diagnostics.Reading.Checklist.Of(reading));
        output.WriteLine();
        Verdicts(reading);
    }

    private void Findings(DiagnosisReport report)
    {
        var groups = report.Findings.GroupBy(f => f.Subject ?? report.ServerName ?? report.Input);
        output.WriteLine(report.Findings.Count == 0 ? "No findings." : "Findings:");
        foreach (var group in groups)
        {
            output.WriteLine($"  {VisibleText.Escape(group.Key)}");
            foreach (var finding in group.OrderByDescending(f => f.Severity))
            {
                var label = finding.Severity switch { Severity.Error => Paint("ERROR", "31"), Severity.Warning => Paint("WARN ", "33"), _ => "info " };
                var part = finding.PartOf() == ReportPart.Federation ? "" : $" ({VerdictWords.Part(finding.PartOf()).ToLowerInvariant()})";
                output.WriteLine($"    {label} {VisibleText.Escape(finding.Summary)}  [{finding.Id}]{part}");
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
    }

    /// <summary>The checklist, as on the site's result page: one line per check, its state as a symbol and a word.</summary>
    private void Checklist(Diagnostics.Reading.Checklist checklist)
    {
        output.WriteLine("Checklist:");
        foreach (var line in checklist.Discovery)
        {
            Line(line, "  ");
        }
        foreach (var address in checklist.Addresses)
        {
            output.WriteLine($"  {address.Key}");
            foreach (var line in address.Checks)
            {
                Line(line, "    ");
            }
        }
        foreach (var line in checklist.Clients.Concat(checklist.CallsAndLogin).Concat(checklist.TwoWay))
        {
            Line(line, "  ");
        }
    }

    private void Line(CheckLine line, string indent) =>
        output.WriteLine($"{indent}{Paint(CheckWords.Symbol(line.State), Color(line.State))} {CheckWords.State(line.State),-12} {line.Name}: {VisibleText.Escape(line.Text)}");

    /// <summary>The verdicts, each on its own line, in the site's words: federation first (the exit status), then clients, calls, login and two-way.</summary>
    private void Verdicts(ReportReading reading)
    {
        var federation = reading.Federation;
        output.WriteLine($"{VerdictWords.Headline(federation.State)} for {VisibleText.Escape(reading.Name)}: {VerdictWords.Pill(federation)}.");
        output.WriteLine($"  {VisibleText.Escape(VerdictWords.Line(reading))}");
        output.WriteLine($"  IPv4: {VerdictWords.Family(federation.IPv4)}, IPv6: {VerdictWords.Family(federation.IPv6)} (FederationOK: {federation.FederationOk.ToString().ToLowerInvariant()}, {reading.Report.Duration.TotalMilliseconds:0} ms)");
        if (reading.Run != RunOutcome.InvalidInput)
        {
            output.WriteLine($"Clients: {VerdictWords.Clients(reading.Clients.State)} ({VerdictWords.Pill(reading.Clients.Errors, reading.Clients.Warnings)}; their own verdict).");
        }
        CallsAndLogin(reading);
        if (reading.TwoWay is { } twoWay)
        {
            output.WriteLine(twoWay.State == TwoWayStatus.NotConfigured
                ? $"Two-way: not run. It needs the web site, which your server can reach as a Matrix server: {DocsLink("two-way#not-configured")}"
                : $"Two-way: {VerdictWords.TwoWay(twoWay.State)}: {VisibleText.Escape(twoWay.Summary)}");
        }
    }

    /// <summary>Calls and login, where they were checked: verdicts of their own, never part of federation's (or the exit status).</summary>
    private void CallsAndLogin(ReportReading reading)
    {
        if (reading.Calls is { } calls)
        {
            output.WriteLine($"Calls: {VerdictWords.Calls(calls.State)} ({VerdictWords.Pill(calls.Errors, calls.Warnings)}; its own verdict).");
            output.WriteLine($"  {VisibleText.Escape(calls.Summary)}.");
            if (calls.TokenCheck is { } tokens)
            {
                output.WriteLine(tokens.Ran
                    ? $"Call token check: {VerdictWords.TokenCheck(tokens.State)}. {VisibleText.Escape(tokens.Summary)}."
                    : $"Call token check: not run. It needs the web site, which acts as the homeserver of a test user your authorization service must reach: {DocsLink("calls#token-check")}");
            }
        }
        if (reading.Login is { } login)
        {
            output.WriteLine($"Login: {VerdictWords.Login(login.State)} ({VerdictWords.Pill(login.Errors, login.Warnings)}; its own verdict).");
            output.WriteLine($"  {VisibleText.Escape(login.Summary)}.");
        }
    }

    private static string? Color(CheckState state) => state switch
    {
        CheckState.Passed => "32",
        CheckState.Warning => "33",
        CheckState.Failed => "31",
        _ => "2",
    };

    /// <summary>A docs link: absolute when the site's address is known (<c>--docs-base</c>), else the site path.</summary>
    public string DocsLink(string docs) => docsBase is null ? $"/docs/{docs}" : new Uri(docsBase, $"docs/{docs}").ToString();

    private string Paint(string text, string? code) => color && code is not null ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
