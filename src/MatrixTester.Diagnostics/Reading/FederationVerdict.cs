using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>Can other servers reach this one: the headline of every surface.</summary>
public enum FederationState
{
    Works,
    WorksWithWarnings,
    Broken,

    /// <summary>The test stopped (time limit, or a failure of the tester) before it could decide.</summary>
    Incomplete,

    /// <summary>The input is not a server name.</summary>
    NotChecked,
}

/// <summary>One address family (IPv4 or IPv6) on its own.</summary>
public enum FamilyState
{
    Works,
    Broken,

    /// <summary>The server has no address of this family (not a problem: peers use the other).</summary>
    NoAddress,

    /// <summary>Some addresses of this family were not checked before the test stopped, and none checked failed.</summary>
    NotChecked,
}

/// <summary>
/// The federation verdict and what it counts: only federation findings (<see cref="FindingParts"/>), so a client file
/// or the two-way check never changes "Federation works". <see cref="FederationOk"/> is the reference tester's stricter
/// rule, as stored by the engine.
/// </summary>
public sealed record FederationVerdict(FederationState State, int Errors, int Warnings, FamilyState IPv4, FamilyState IPv6, bool FederationOk)
{
    public Tone Tone => FederationStates.Tone(State);

    public static FederationVerdict Of(DiagnosisReport report, RunOutcome run)
    {
        ArgumentNullException.ThrowIfNull(report);
        var findings = report.Findings.InPart(ReportPart.Federation).ToList();
        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        var state = run switch
        {
            RunOutcome.InvalidInput => FederationState.NotChecked,
            RunOutcome.TimedOut or RunOutcome.Failed => FederationState.Incomplete,
            // The engine's status decides what peers do; an error in the count is broken whatever an older report says.
            _ when report.Verdict.Status == VerdictStatus.Broken || errors > 0 => FederationState.Broken,
            _ when warnings > 0 => FederationState.WorksWithWarnings,
            _ => FederationState.Works,
        };
        return new FederationVerdict(state, errors, warnings, Family(report, v6: false), Family(report, v6: true), report.Verdict.FederationOk);
    }

    /// <summary>A family is broken when one of its checked addresses fails; an address never reached leaves it not checked.</summary>
    private static FamilyState Family(DiagnosisReport report, bool v6)
    {
        var endpoints = report.Discovery?.Endpoints.Where(e => e.IsIPv6 == v6).Select(e => e.Key).ToList();
        var connections = report.Connections.Where(c => c.Endpoint.IsIPv6 == v6).ToList();
        if (connections.Any(c => !c.Passed))
        {
            return FamilyState.Broken;
        }
        if (endpoints is null)
        {
            // Discovery did not finish (time limit, invalid input): no address of either family is known.
            return connections.Count > 0 ? FamilyState.Works : FamilyState.NotChecked;
        }
        var done = connections.Select(c => c.Endpoint.Key).ToHashSet(StringComparer.Ordinal);
        return endpoints.Count == 0 ? FamilyState.NoAddress
            : endpoints.All(done.Contains) ? FamilyState.Works
            : FamilyState.NotChecked;
    }
}

/// <summary>The federation state as a token for machines (probe labels, webhooks) and from the stored result's column.</summary>
public static class FederationStates
{
    public static Tone Tone(FederationState state) => state switch
    {
        FederationState.Works => Reading.Tone.Good,
        FederationState.WorksWithWarnings => Reading.Tone.Warning,
        FederationState.Broken => Reading.Tone.Bad,
        _ => Reading.Tone.Neutral,
    };

    public static string Token(FederationState state) => state switch
    {
        FederationState.Works => "works",
        FederationState.WorksWithWarnings => "works_with_warnings",
        FederationState.Broken => "broken",
        FederationState.Incomplete => "incomplete",
        _ => "not_checked",
    };

    /// <summary>
    /// A stored result's verdict column: the state's name (results stored before the reading kept the engine's
    /// Works/WorksWithWarnings/Broken, the same names). Anything unexpected reads as broken rather than as fine.
    /// </summary>
    public static FederationState FromStored(string? column) =>
        column is { Length: > 0 } && char.IsAsciiLetter(column[0]) && Enum.TryParse<FederationState>(column, ignoreCase: false, out var state)
            ? state
            : FederationState.Broken;
}
