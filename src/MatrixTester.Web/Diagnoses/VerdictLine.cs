using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// The verdict's second line. The headline already says "works" or "is broken"; the engine's summary often only
/// repeats it with a count ("Federation is broken: 1 error."). This line says something new: the first problem in a
/// few words and what peers will do about it. Summaries that already say more (IPv4 vs IPv6, no address) are kept.
/// </summary>
public static class VerdictLine
{
    public static string For(ReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // Calls and login have verdicts of their own: their problems never speak for federation here.
        var problems = report.Findings.Where(f => f.Severity is "Error" or "Warning" && !IsCallsOrLogin(f.Id)).ToList();
        var errors = problems.Where(f => f.Severity == "Error" && !IsClientSide(f.Id)).ToList();
        var more = problems.Count > 1 ? $" {problems.Count - 1} more below." : "";
        if (report.TimedOut)
        {
            return "The test hit its time limit before every address answered; other homeservers will probably time out on it too.";
        }
        return report.Verdict.Status switch
        {
            "Works" => "Other homeservers can reach it on every address tested.",
            "WorksWithWarnings" when problems.Count > 0 => $"Other homeservers can reach it. Worth fixing: {Sentence(problems[0].Summary)}{more}",
            _ when report.Verdict.Summary.StartsWith("Federation is broken: ", StringComparison.Ordinal) && errors.Count > 0 =>
                $"{Sentence(errors[0].Summary)} {Consequence(report)}{more}",
            _ => report.Verdict.Summary,
        };
    }

    /// <summary>Some addresses working is not "unreachable": peers that pick a bad one fail or wait for a timeout.</summary>
    private static string Consequence(ReportView report) => report.Connections.Any(c => c.Passed == true)
        ? "Homeservers that pick a failing address will fail or be slow to reach it."
        : "Other homeservers cannot deliver messages to it.";

    private static bool IsCallsOrLogin(string id) => id.StartsWith("rtc.", StringComparison.Ordinal) || id.StartsWith("auth.", StringComparison.Ordinal);

    private static bool IsClientSide(string id) => id.StartsWith("client.", StringComparison.Ordinal) || id.StartsWith("support.", StringComparison.Ordinal);

    // Not capitalised: summaries often start with a server name or an address, which keep their case.
    private static string Sentence(string text) => text.Length == 0 ? text : $"{text.TrimEnd('.')}.";
}
