using System.Globalization;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Diagnostics.Reading.Words;

/// <summary>The verdicts in sentences: the chips, the headline's second line, the summary kept with a stored result.</summary>
public static partial class VerdictWords
{
    /// <summary>
    /// The chips beside the headline: each address family, clients, calls (and the call token check), login, and the
    /// two-way check; the last two checks only where this tester runs them (a site without its own Matrix identity says
    /// so once, in its docs, rather than on every result). Calls and login have chips only when they were checked.
    /// </summary>
    public static IReadOnlyList<Chip> Chips(ReportReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var chips = new List<Chip>
        {
            new("ipv4", "IPv4", Family(reading.Federation.IPv4), FamilyTone(reading.Federation.IPv4)),
            new("ipv6", "IPv6", Family(reading.Federation.IPv6), FamilyTone(reading.Federation.IPv6)),
        };
        if (reading.Run != RunOutcome.InvalidInput)
        {
            chips.Add(new Chip("clients", "Clients", Clients(reading.Clients.State), reading.Clients.Tone, "client-discovery",
                $"Clients: {Pill(reading.Clients.Errors, reading.Clients.Warnings)} (not part of the federation verdict)"));
        }
        if (reading.Calls is { } calls)
        {
            chips.Add(new Chip("calls", "Calls", Calls(calls.State), calls.Tone, "calls", $"{calls.Summary} (not part of the federation verdict)"));
            if (calls.TokenCheck is { Ran: true } tokens)
            {
                chips.Add(new Chip("token-check", "Call token check", TokenCheck(tokens.State), tokens.Tone, "calls#token-check", tokens.Summary));
            }
        }
        if (reading.Login is { } login)
        {
            chips.Add(new Chip("login", "Login", Login(login.State), login.Tone, "login", $"{login.Summary} (not part of the federation verdict)"));
        }
        if (reading.TwoWay is { State: not TwoWayStatus.NotConfigured } twoWay)
        {
            chips.Add(new Chip("two-way", "Two-way", TwoWay(twoWay.State), twoWay.Tone, "two-way", twoWay.Summary));
        }
        return chips;
    }

    /// <summary>The headline's second line: something the headline does not say yet, in a sentence or two.</summary>
    public static string Line(ReportReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var federation = reading.Report.Findings.InPart(ReportPart.Federation).Where(f => f.Severity != Severity.Info).ToList();
        var more = federation.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" {federation.Count - 1} more below.") : "";
        return reading.Federation.State switch
        {
            FederationState.NotChecked => $"'{reading.Report.Input}' is not a server name, so nothing was checked.",
            FederationState.Incomplete when reading.Run == RunOutcome.Failed =>
                "The tester itself failed before it finished: this says nothing about the server. Run the test again.",
            FederationState.Incomplete => $"{Stopped(reading)} {Sentence(reading.Federation.Errors switch
            {
                0 => "Nothing it checked before then is broken",
                var n => $"It had already found {Count(n, "federation error")}: see below",
            })}",
            FederationState.Works => "Other homeservers can reach it on every address tested.",
            FederationState.WorksWithWarnings => $"Other homeservers can reach it. Worth fixing: {Sentence(federation[0].Summary)}{more}",
            _ when federation.FirstOrDefault(f => f.Severity == Severity.Error) is { } first
                && reading.Report.Verdict.Summary.StartsWith("Federation is broken: ", StringComparison.Ordinal) =>
                $"{Sentence(first.Summary)} {Consequence(reading)}{more}",
            _ => reading.Report.Verdict.Summary,
        };
    }

    /// <summary>
    /// One line kept with a stored result (history, feed, picture tooltips): the federation verdict, then clients,
    /// calls and login when they fail (each its own verdict, named as such).
    /// </summary>
    public static string Summary(ReportReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var federation = reading.Federation;
        var text = federation.State switch
        {
            FederationState.Works => "Federation works.",
            FederationState.WorksWithWarnings => $"Federation works, with {Count(federation.Warnings, "warning")}.",
            FederationState.Incomplete when reading.Run == RunOutcome.Failed => "The tester failed before it finished.",
            FederationState.Incomplete => Stopped(reading),
            FederationState.NotChecked => "Not a server name: nothing was checked.",
            _ => reading.Report.Verdict.Summary,
        };
        if (reading.Clients.State is ClientsState.Broken or ClientsState.Unusable)
        {
            text += $" Clients: {Clients(reading.Clients.State)}.";
        }
        if (reading.Calls is { State: MatrixRtcStatus.Broken } calls)
        {
            text += $" Calls: {Calls(calls.State)}.";
        }
        if (reading.Login is { State: AuthStatus.Broken } login)
        {
            text += $" Login: {Login(login.State)}.";
        }
        return text;
    }

    private static string Stopped(ReportReading reading) =>
        string.Create(CultureInfo.InvariantCulture, $"The test stopped at its time limit ({reading.Report.Duration.TotalSeconds:0} s) while waiting for {OutcomeWords.Pending(reading.Pending)}.");

    /// <summary>Some addresses working is not "unreachable": peers that pick a bad one fail or wait for a timeout.</summary>
    private static string Consequence(ReportReading reading) => reading.Report.Connections.Any(c => c.Passed)
        ? "Homeservers that pick a failing address will fail or be slow to reach it."
        : "Other homeservers cannot deliver messages to it.";
}
