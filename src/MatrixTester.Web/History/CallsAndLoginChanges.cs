using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Web.History;

/// <summary>The calls verdict changed (its own verdict: it never changes the federation one).</summary>
public sealed record CallsChange(MatrixRtcStatus Before, MatrixRtcStatus After) : ReportChange
{
    public override string Description => $"Calls: changed from {VerdictWords.Calls(Before)} to {VerdictWords.Calls(After)}.";
}

/// <summary>The login verdict changed (its own verdict: it never changes the federation one).</summary>
public sealed record LoginChange(AuthStatus Before, AuthStatus After) : ReportChange
{
    public override string Description => $"Login: changed from {VerdictWords.Login(Before)} to {VerdictWords.Login(After)}.";
}

internal static class CallsAndLoginChanges
{
    /// <summary>
    /// Changes of the calls and login verdicts, only where both reports have one: a check that did not run (no client
    /// API, out of time) or a report stored before the check existed is no change, so the first check after an upgrade
    /// does not alert every watcher.
    /// </summary>
    public static IEnumerable<ReportChange> Compare(ReportReading before, ReportReading after)
    {
        if (before.Calls is { } oldCalls && after.Calls is { } newCalls && oldCalls.State != newCalls.State)
        {
            yield return new CallsChange(oldCalls.State, newCalls.State);
        }
        if (before.Login is { } oldLogin && after.Login is { } newLogin && oldLogin.State != newLogin.State)
        {
            yield return new LoginChange(oldLogin.State, newLogin.State);
        }
    }
}
