using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>
/// The checklist's calls and login lines, from their verdicts: none for a check that has no record (not run, or a
/// report from before it existed), and the token check only where this tester runs it.
/// </summary>
internal static class CallsAndLoginLines
{
    public static IReadOnlyList<CheckLine> Of(ReportReading reading)
    {
        var lines = new List<CheckLine>();
        var findings = reading.Report.Findings;
        if (reading.Calls is { } calls)
        {
            var problem = Checklist.FirstProblem([.. findings.InPart(ReportPart.Calls)]);
            lines.Add(new CheckLine(CheckItem.Calls, calls.State switch
            {
                MatrixRtcStatus.Ready => CheckState.Passed,
                MatrixRtcStatus.Partial => CheckState.Warning,
                MatrixRtcStatus.Broken => CheckState.Failed,
                _ => CheckState.Note,
            }, CheckWords.Calls(calls.State, problem?.Summary), "calls", Anchors.Calls));
            if (calls.TokenCheck is { Ran: true } tokens)
            {
                lines.Add(new CheckLine(CheckItem.TokenCheck, tokens.State switch
                {
                    TokenCheckStatus.Works => CheckState.Passed,
                    TokenCheckStatus.Broken => CheckState.Failed,
                    _ => CheckState.NotTested,
                }, CheckWords.TokenCheck(tokens), "calls#token-check", Anchors.Calls));
            }
        }
        if (reading.Login is { } login)
        {
            var problem = Checklist.FirstProblem([.. findings.InPart(ReportPart.Login)]);
            lines.Add(new CheckLine(CheckItem.Login, login.State switch
            {
                AuthStatus.Oidc => CheckState.Passed,
                AuthStatus.Broken => CheckState.Failed,
                _ => CheckState.Note,
            }, CheckWords.Login(login, problem?.Summary), "login", Anchors.Login));
        }
        return lines;
    }
}
