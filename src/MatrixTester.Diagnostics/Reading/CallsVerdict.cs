using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>
/// Can clients hold calls (MatrixRTC) with this server's users: its own verdict (docs/calls.md), never part of the
/// federation one. <see cref="State"/> is the report's <c>matrixRtc.status</c>, which already counts the token check's
/// findings; the counts are the calls findings (<see cref="ReportPart.Calls"/>).
/// </summary>
public sealed record CallsVerdict(MatrixRtcStatus State, int Errors, int Warnings, string Summary, TokenCheckVerdict? TokenCheck)
{
    public Tone Tone => State switch
    {
        MatrixRtcStatus.Ready => Tone.Good,
        MatrixRtcStatus.Partial => Tone.Warning,
        MatrixRtcStatus.Broken => Tone.Bad,
        _ => Tone.Neutral,
    };

    /// <summary>Null when the report has no calls record: not checked (no client API, out of time), or stored before the check existed.</summary>
    public static CallsVerdict? Of(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.MatrixRtc is not { } calls)
        {
            return null;
        }
        var findings = report.Findings.InPart(ReportPart.Calls).ToList();
        return new CallsVerdict(calls.Status, findings.Count(f => f.Severity == Severity.Error), findings.Count(f => f.Severity == Severity.Warning), calls.Summary,
            calls.TokenCheck is { } tokens ? new TokenCheckVerdict(tokens.Status, tokens.CallbackSeen, tokens.Summary) : null);
    }
}

/// <summary>
/// The end-to-end call token check (docs/calls.md#token-check): did the authorization service verify a user of another
/// server (ours) and give it a token the SFU accepts. Part of the calls verdict; shown on its own where it ran.
/// </summary>
public sealed record TokenCheckVerdict(TokenCheckStatus State, bool CallbackSeen, string Summary)
{
    public Tone Tone => State switch
    {
        TokenCheckStatus.Works => Tone.Good,
        TokenCheckStatus.Broken => Tone.Bad,
        _ => Tone.Neutral,
    };

    /// <summary>This tester cannot run it (no Matrix identity of its own, or the command line): its docs say so once.</summary>
    public bool Ran => State != TokenCheckStatus.NotConfigured;
}
