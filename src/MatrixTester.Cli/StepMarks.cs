using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Cli;

internal enum StepMark
{
    Passed,
    /// <summary>The step completed and found nothing (no SRV record, no delegation): normal, neither pass nor fail.</summary>
    Nothing,
    Warned,
    Failed,
    Progress,
}

/// <summary>
/// What a streamed step's line is marked with. Findings decide first; a step without findings is still judged by
/// its own outcome, so "A matrix.org: NxDomain" or "well-known could not be fetched" never gets the passed mark.
/// </summary>
internal static class StepMarks
{
    public static StepMark Of(DiagnosisEvent e) =>
        e.Findings.Any(f => f.Severity == Severity.Error) ? StepMark.Failed
        : e.Findings.Any(f => f.Severity == Severity.Warning) ? StepMark.Warned
        : e switch
        {
            ProgressEvent => StepMark.Progress,
            ServerNameEvent n => n.Valid ? StepMark.Passed : StepMark.Failed,
            DnsQueryEvent d => Dns(d.Answer),
            WellKnownEvent w => w.Result.Outcome switch
            {
                WellKnownOutcome.Delegated => StepMark.Passed,
                WellKnownOutcome.NotFound or WellKnownOutcome.NotApplicable => StepMark.Nothing,
                _ => StepMark.Warned,
            },
            SrvEvent s => s.Result.Failed ? StepMark.Failed : s.Result.Targets.Count > 0 ? StepMark.Passed : StepMark.Nothing,
            EndpointsEvent p => p.Discovery.Endpoints.Count > 0 ? StepMark.Passed : StepMark.Failed,
            ConnectionEvent c => c.Connection.Passed ? StepMark.Passed : StepMark.Failed,
            ClientDiscoveryEvent c => c.Client.HomeserverBaseUrl is null ? StepMark.Nothing : StepMark.Passed,
            // A two-way check that did not run (no identity in the CLI, skipped) passed nothing.
            TwoWayEvent t => t.TwoWay.Status switch
            {
                TwoWayStatus.Works => StepMark.Passed,
                TwoWayStatus.Broken => StepMark.Failed,
                _ => StepMark.Nothing,
            },
            TwoWayWaitingEvent => StepMark.Progress,
            // No call infrastructure, or the classic login API: a choice, neither pass nor fail.
            MatrixRtcEvent r => r.MatrixRtc.Status == Diagnostics.Client.MatrixRtcStatus.NotOffered ? StepMark.Nothing : StepMark.Passed,
            AuthEvent a => a.Auth.Status == Diagnostics.Client.AuthStatus.Legacy ? StepMark.Nothing : StepMark.Passed,
            // As for two-way: a token check that did not run (no identity in the CLI, skipped) passed nothing.
            TokenCheckEvent t => t.TokenCheck.Status switch
            {
                Diagnostics.RtcToken.TokenCheckStatus.Works => StepMark.Passed,
                Diagnostics.RtcToken.TokenCheckStatus.Broken => StepMark.Failed,
                _ => StepMark.Nothing,
            },
            TokenCheckWaitingEvent => StepMark.Progress,
            _ => StepMark.Passed,
        };

    /// <summary>No record is an answer (NXDOMAIN, NODATA); a failed lookup (SERVFAIL, timeout, …) is a failure.</summary>
    private static StepMark Dns(DnsAnswer answer) => answer.Outcome switch
    {
        DnsOutcome.NoError => answer.Records.Count > 0 ? StepMark.Passed : StepMark.Nothing,
        DnsOutcome.NxDomain => StepMark.Nothing,
        _ => StepMark.Failed,
    };

    /// <summary>Symbols that differ in shape, not only in colour.</summary>
    public static string Symbol(StepMark mark) => mark switch
    {
        StepMark.Passed => "✓",
        StepMark.Nothing => "·",
        StepMark.Warned => "!",
        StepMark.Failed => "✗",
        _ => "…",
    };

    /// <summary>ANSI colour for the symbol: green, dim, yellow, red; progress uncoloured.</summary>
    public static string? Color(StepMark mark) => mark switch
    {
        StepMark.Passed => "32",
        StepMark.Nothing => "2",
        StepMark.Warned => "33",
        StepMark.Failed => "31",
        _ => null,
    };
}
