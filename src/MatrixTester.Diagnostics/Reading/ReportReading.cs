using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>
/// One typed reading of a report, decided once and rendered by every surface: the page (live, permalink, without
/// script), the checklist, the history picture, comparisons, the feed, the badge, the probe, alert mails and
/// webhooks, the command line. Its input is the engine's own <see cref="DiagnosisReport"/>, fresh or read back from
/// stored JSON (<see cref="ReportJson.Read"/>), so a stored result reads the same today as when it was made.
/// </summary>
/// <remarks>
/// The verdicts are kept apart (docs/findings.md, "Verdicts"): <see cref="Federation"/> is the headline and counts
/// only federation findings; <see cref="Clients"/>, <see cref="TwoWay"/>, <see cref="Calls"/> and <see cref="Login"/>
/// have their own (the last three are null in reports without their record: old ones read as they were). A test that
/// did not finish says so first (<see cref="Run"/>, <see cref="Pending"/>): not checked is never failed. Another verdict
/// is one more record with its rule, a property here, and its prefix in <see cref="Findings.FindingParts"/>.
/// </remarks>
public sealed record ReportReading(
    DiagnosisReport Report,
    RunOutcome Run,
    FederationVerdict Federation,
    ClientsVerdict Clients,
    TwoWayVerdict? TwoWay,
    CallsVerdict? Calls,
    LoginVerdict? Login,
    IReadOnlyList<PendingStep> Pending)
{
    public static ReportReading Of(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = RunRules.Of(report);
        return new ReportReading(report, run, FederationVerdict.Of(report, run), ClientsVerdict.Of(report, run), TwoWayVerdict.Of(report),
            CallsVerdict.Of(report), LoginVerdict.Of(report), RunRules.Pending(report, run));
    }

    /// <summary>The name the report is about (the input itself when it was not a server name).</summary>
    public string Name => Report.ServerName ?? Report.Input;
}
