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
        output.WriteLine($"[{e.At.TotalMilliseconds,7:0} ms] {Paint(StepMarks.Symbol(mark), StepMarks.Color(mark))} {e.Stage,-12} {VisibleText.Escape(e.Text)}");
    }

    public void Report(ReportReading reading)
    {
        var report = reading.Report;
        output.WriteLine();
        if (report.Discovery is { Endpoints.Count: > 0 } discovery)
        {
            output.WriteLine(CliText.Get("endpoints"));
            foreach (var endpoint in discovery.Endpoints)
            {
                output.WriteLine($"  {endpoint.Key,-24} {CliText.Format("endpoint", endpoint.StepNumber.PadRight(3), VisibleText.Escape(endpoint.HostHeader), VisibleText.Escape(endpoint.TlsName))}{(endpoint.SrvTarget is { } t ? "  " + CliText.Format("endpoint.srv", VisibleText.Escape(t)) : "")}");
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
        output.WriteLine(CliText.Get(report.Findings.Count == 0 ? "findings.none" : "findings"));
        foreach (var group in groups)
        {
            output.WriteLine($"  {VisibleText.Escape(group.Key)}");
            foreach (var finding in group.OrderByDescending(f => f.Severity))
            {
                var words = finding.Words();
                var label = finding.Severity switch { Severity.Error => Paint(CliText.Get("label.error"), "31"), Severity.Warning => Paint(CliText.Get("label.warning"), "33"), _ => CliText.Get("label.info") };
                var part = finding.PartOf() == ReportPart.Federation ? "" : $" ({VerdictWords.Part(finding.PartOf()).ToLowerInvariant()})";
                output.WriteLine($"    {label} {VisibleText.Escape(words.Summary)}  [{finding.Id}]{part}");
                if (words.Detail.Length > 0 && words.Detail != words.Summary)
                {
                    output.WriteLine($"          {VisibleText.Escape(words.Detail)}");
                }
                if (finding.Severity != Severity.Info)
                {
                    output.WriteLine($"          {CliText.Get("fix")} {VisibleText.Escape(words.Fix)}");
                }
                output.WriteLine($"          {CliText.Get("docs")} {DocsLink(finding.Docs)}");
            }
        }
    }

    /// <summary>The checklist, as on the site's result page: one line per check, its state as a symbol and a word.</summary>
    private void Checklist(Diagnostics.Reading.Checklist checklist)
    {
        output.WriteLine(CliText.Get("checklist"));
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
        output.WriteLine(CliText.Format("verdict", VerdictWords.Headline(federation.State), VisibleText.Escape(reading.Name), VerdictWords.Pill(federation)));
        output.WriteLine($"  {VisibleText.Escape(VerdictWords.Line(reading))}");
        output.WriteLine($"  IPv4: {VerdictWords.Family(federation.IPv4)}, IPv6: {VerdictWords.Family(federation.IPv6)} (FederationOK: {federation.FederationOk.ToString().ToLowerInvariant()}, {reading.Report.Duration.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} ms)");
        if (reading.Run != RunOutcome.InvalidInput)
        {
            output.WriteLine(CliText.Format("clients", VerdictWords.Clients(reading.Clients.State), VerdictWords.Pill(reading.Clients.Errors, reading.Clients.Warnings)));
        }
        CallsAndLogin(reading);
        if (reading.TwoWay is { } twoWay)
        {
            output.WriteLine(twoWay.State == TwoWayStatus.NotConfigured
                ? CliText.Format("two_way.not_run", DocsLink("two-way#not-configured"))
                : CliText.Format("two_way", VerdictWords.TwoWay(twoWay.State), VisibleText.Escape(twoWay.Summary)));
        }
    }

    /// <summary>Calls and login, where they were checked: verdicts of their own, never part of federation's (or the exit status).</summary>
    private void CallsAndLogin(ReportReading reading)
    {
        if (reading.Calls is { } calls)
        {
            output.WriteLine(CliText.Format("calls", VerdictWords.Calls(calls.State), VerdictWords.Pill(calls.Errors, calls.Warnings)));
            output.WriteLine($"  {VisibleText.Escape(calls.Summary)}.");
            if (calls.TokenCheck is { } tokens)
            {
                output.WriteLine(tokens.Ran
                    ? CliText.Format("token_check", VerdictWords.TokenCheck(tokens.State), VisibleText.Escape(tokens.Summary))
                    : CliText.Format("token_check.not_run", DocsLink("calls#token-check")));
            }
        }
        if (reading.Login is { } login)
        {
            output.WriteLine(CliText.Format("login", VerdictWords.Login(login.State), VerdictWords.Pill(login.Errors, login.Warnings)));
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
