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
            ? alert.Verdict == FederationState.Broken ? "federation is broken" : "federation works again"
            : alert.Changes.Any(c => c.Kind == "expiry") && !alert.Changes.Any(c => c.Kind == "finding_added") ? "certificate expires soon"
            : Service(alert) ?? "new problem found";
        return $"[MatrixTester] {alert.ServerName}: {what}";
    }

    public static string Body(Alert alert, MonitoringOptions options, string unsubscribeUrl)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""
            MatrixTester checked {alert.ServerName} and something changed.

            Federation: {VerdictWords.Word(alert.Verdict)}. {Line(VerdictWords.Line(alert.Reading))}
            Clients: {VerdictWords.Clients(alert.Reading.Clients.State)} (their own verdict).{CallsAndLogin(alert.Reading)}{TwoWay(alert.Reading)}

            What changed:

            """);
        foreach (var change in alert.Changes)
        {
            text.Append("- ").AppendLine(Line(change.Description));
        }
        var findings = alert.Reading.Report.Findings.Where(f => f.Severity != Severity.Info).OrderByDescending(f => f.Severity).ToArray();
        text.AppendLine().AppendLine(findings.Length == 0 ? "No errors or warnings now." : "Current findings:");
        foreach (var f in findings)
        {
            var part = f.PartOf() == ReportPart.Federation ? "" : $" ({VerdictWords.Part(f.PartOf()).ToLowerInvariant()})";
            text.Append(CultureInfo.InvariantCulture, $"\n[{VerdictWords.SeverityLabel(f.Severity)}{part}] {Line(f.Summary)}{(f.Subject is { } s ? $" ({Line(s)})" : "")}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Fix: {Line(f.Fix)}\n  More: {options.Link(FindingsTable.DocsLink(f.Docs))}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"""

            The full result, with every request and certificate: {alert.Permalink}

            --
            You get this mail because this address watches {alert.ServerName}.
            Stop these mails: {unsubscribeUrl}

            """);
        return text.ToString();
    }

    public static string ConfirmationBody(string serverName, string confirmUrl, string unsubscribeUrl, TimeSpan interval) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            Somebody (hopefully you) asked MatrixTester to watch the Matrix server {serverName} and mail this address when
            its federation breaks, comes back, shows a new error, its calls or login verdict changes, or its certificate
            nears expiry.

            To start the watch, confirm here: {confirmUrl}

            The server will be checked every {interval}. If you did not ask for this, ignore this mail: nothing is sent
            to this address unless the link above is followed.

            --
            Never mail this address about {serverName} again: {unsubscribeUrl}

            """);

    /// <summary>Report text as one line of the mail: line breaks and other control characters shown escaped.</summary>
    internal static string Line(string? text) => VisibleText.Escape(text);

    /// <summary>A subject for a calls or login change that brought no new federation news ("calls are broken").</summary>
    private static string? Service(Alert alert) => alert.Changes.Any(c => c.Kind is "calls" or "login")
        ? string.Join(", ", new[]
        {
            alert.Changes.Any(c => c.Kind == "calls") && alert.Reading.Calls is { } calls ? $"calls {VerdictWords.Calls(calls.State)}" : null,
            alert.Changes.Any(c => c.Kind == "login") && alert.Reading.Login is { } login ? $"login {VerdictWords.Login(login.State)}" : null,
        }.OfType<string>())
        : null;

    /// <summary>The calls and login lines, where they were checked (their own verdicts).</summary>
    private static string CallsAndLogin(ReportReading reading) =>
        (reading.Calls is { } calls ? $"\nCalls: {VerdictWords.Calls(calls.State)} (its own verdict).{TokenCheck(calls)}" : "") +
        (reading.Login is { } login ? $"\nLogin: {VerdictWords.Login(login.State)} (its own verdict)." : "");

    private static string TokenCheck(CallsVerdict calls) => calls.TokenCheck is { Ran: true } tokens
        ? $"\nCall token check: {VerdictWords.TokenCheck(tokens.State)}."
        : "";

    /// <summary>The two-way line where this site runs the check (a site that does not, does not mention it in every mail).</summary>
    private static string TwoWay(ReportReading reading) => reading.TwoWay is { State: not TwoWayStatus.NotConfigured } twoWay
        ? $"\nTwo-way: {VerdictWords.TwoWay(twoWay.State)} (its own verdict)."
        : "";
}
