using System.Globalization;
using System.Text;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Docs;

namespace MatrixTester.Web.Watches;

/// <summary>
/// The plain-text mails: an alert (what changed, the findings with their fixes, the permalink) and the confirmation.
/// Every text taken from a report passes <see cref="VisibleText"/>: each is one line of the mail, and a server under
/// test must not be able to start a paragraph, a link or a signature of its own in a mail sent from our address.
/// </summary>
public static class AlertText
{
    public static string Subject(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var what = alert.Previous != alert.Verdict
            ? alert.Verdict == FederationState.Broken ? SiteText.Get("mail.subject.broken") : SiteText.Get("mail.subject.works")
            : alert.Changes.Any(c => c.Kind == "expiry") && !alert.Changes.Any(c => c.Kind == "finding_added") ? SiteText.Get("mail.subject.expiry")
            : Service(alert) ?? SiteText.Get("mail.subject.new_problem");
        return $"[MatrixTester] {alert.ServerName}: {what}";
    }

    public static string Body(Alert alert, MonitoringOptions options, string unsubscribeUrl)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder()
            .AppendLine(SiteText.Format("mail.alert.intro", alert.ServerName)).AppendLine()
            .AppendLine(SiteText.Format("mail.alert.federation", VerdictWords.Word(alert.Verdict), Line(VerdictWords.Line(alert.Reading))))
            .Append(SiteText.Format("mail.alert.clients", VerdictWords.Clients(alert.Reading.Clients.State))).Append(CallsAndLogin(alert.Reading)).AppendLine(TwoWay(alert.Reading)).AppendLine()
            .AppendLine(SiteText.Get("mail.alert.changed")).AppendLine();
        foreach (var change in alert.Changes)
        {
            text.Append("- ").AppendLine(Line(change.Text));
        }
        var findings = alert.Reading.Report.Findings.Where(f => f.Severity != Severity.Info).OrderByDescending(f => f.Severity).ToArray();
        text.AppendLine().AppendLine(SiteText.Get(findings.Length == 0 ? "mail.alert.no_findings" : "mail.alert.findings"));
        foreach (var f in findings)
        {
            var part = f.PartOf() == ReportPart.Federation ? "" : $" ({VerdictWords.Part(f.PartOf()).ToLowerInvariant()})";
            var words = f.Words();
            text.Append(CultureInfo.InvariantCulture, $"\n[{VerdictWords.SeverityLabel(f.Severity)}{part}] {Line(words.Summary)}{(f.Subject is { } s ? $" ({Line(s)})" : "")}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {SiteText.Get("mail.alert.fix")} {Line(words.Fix)}\n  {SiteText.Get("mail.alert.more")} {options.Link(FindingsTable.DocsLink(f.Docs))}\n");
        }
        text.AppendLine().AppendLine(SiteText.Format("mail.alert.full", alert.Permalink)).AppendLine()
            .AppendLine("--").AppendLine(SiteText.Format("mail.alert.why", alert.ServerName)).AppendLine(SiteText.Format("mail.alert.stop", unsubscribeUrl));
        return text.ToString();
    }

    public static string ConfirmationBody(string serverName, string confirmUrl, string unsubscribeUrl, TimeSpan interval) =>
        SiteText.Format("mail.confirm.body", serverName, confirmUrl, interval, unsubscribeUrl).ReplaceLineEndings("\n");

    /// <summary>Report text as one line of the mail: line breaks and other control characters shown escaped.</summary>
    internal static string Line(string? text) => VisibleText.Escape(text);

    /// <summary>A subject for a calls or login change that brought no new federation news ("calls are broken").</summary>
    private static string? Service(Alert alert) => alert.Changes.Any(c => c.Kind is "calls" or "login")
        ? string.Join(", ", new[]
        {
            alert.Changes.Any(c => c.Kind == "calls") && alert.Reading.Calls is { } calls ? SiteText.Format("mail.subject.calls", VerdictWords.Calls(calls.State)) : null,
            alert.Changes.Any(c => c.Kind == "login") && alert.Reading.Login is { } login ? SiteText.Format("mail.subject.login", VerdictWords.Login(login.State)) : null,
        }.OfType<string>())
        : null;

    /// <summary>The calls and login lines, where they were checked (their own verdicts).</summary>
    private static string CallsAndLogin(ReportReading reading) =>
        (reading.Calls is { } calls ? "\n" + SiteText.Format("mail.alert.calls", VerdictWords.Calls(calls.State)) + TokenCheck(calls) : "") +
        (reading.Login is { } login ? "\n" + SiteText.Format("mail.alert.login", VerdictWords.Login(login.State)) : "");

    private static string TokenCheck(CallsVerdict calls) => calls.TokenCheck is { Ran: true } tokens
        ? "\n" + SiteText.Format("mail.alert.token_check", VerdictWords.TokenCheck(tokens.State))
        : "";

    /// <summary>The two-way line where this site runs the check (a site that does not, does not mention it in every mail).</summary>
    private static string TwoWay(ReportReading reading) => reading.TwoWay is { State: not TwoWayStatus.NotConfigured } twoWay
        ? "\n" + SiteText.Format("mail.alert.two_way", VerdictWords.TwoWay(twoWay.State))
        : "";
}
