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
            chips.Add(new Chip("clients", EngineText.Get("verdict.chip.clients"), Clients(reading.Clients.State), reading.Clients.Tone, "client-discovery",
                EngineText.Format("verdict.chip.clients_title", ("pill", Pill(reading.Clients.Errors, reading.Clients.Warnings)))));
        }
        if (reading.Calls is { } calls)
        {
            chips.Add(new Chip("calls", EngineText.Get("verdict.chip.calls"), Calls(calls.State), calls.Tone, "calls", EngineText.Format("verdict.chip.part_title", ("summary", calls.Summary))));
            if (calls.TokenCheck is { Ran: true } tokens)
            {
                chips.Add(new Chip("token-check", EngineText.Get("verdict.chip.token_check"), TokenCheck(tokens.State), tokens.Tone, "calls#token-check", tokens.Summary));
            }
        }
        if (reading.Login is { } login)
        {
            chips.Add(new Chip("login", EngineText.Get("verdict.chip.login"), Login(login.State), login.Tone, "login", EngineText.Format("verdict.chip.part_title", ("summary", login.Summary))));
        }
        if (reading.TwoWay is { State: not TwoWayStatus.NotConfigured } twoWay)
        {
            chips.Add(new Chip("two-way", EngineText.Get("verdict.chip.two_way"), TwoWay(twoWay.State), twoWay.Tone, "two-way", twoWay.Summary));
        }
        return chips;
    }

    /// <summary>The headline's second line: something the headline does not say yet, in a sentence or two.</summary>
    public static string Line(ReportReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var federation = reading.Report.Findings.InPart(ReportPart.Federation).Where(f => f.Severity != Severity.Info).ToList();
        var more = federation.Count > 1 ? " " + EngineText.Format("verdict.line.more", ("n", federation.Count - 1)) : "";
        return reading.Federation.State switch
        {
            FederationState.NotChecked => EngineText.Format("verdict.line.not_checked", ("input", reading.Report.Input)),
            FederationState.Incomplete when reading.Run == RunOutcome.Failed => EngineText.Get("verdict.line.tester_failed"),
            FederationState.Incomplete => $"{Stopped(reading)} {Sentence(reading.Federation.Errors switch
            {
                0 => EngineText.Get("verdict.line.nothing_broken"),
                var n => EngineText.Format("verdict.line.already_found", ("errors", Count(n, "federation_error"))),
            })}",
            FederationState.Works => EngineText.Get("verdict.line.works"),
            FederationState.WorksWithWarnings => $"{EngineText.Format("verdict.line.worth_fixing", ("summary", Sentence(federation[0].Words().Summary)))}{more}",
            _ when federation.FirstOrDefault(f => f.Severity == Severity.Error) is { } first
                && reading.Report.Verdict.Summary.StartsWith("Federation is broken: ", StringComparison.Ordinal) =>
                $"{Sentence(first.Words().Summary)} {Consequence(reading)}{more}",
            _ => Broken(reading),
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
            FederationState.Works => EngineText.Get("verdict.summary.works"),
            FederationState.WorksWithWarnings => EngineText.Format("verdict.summary.warnings", ("warnings", Count(federation.Warnings, "warning"))),
            FederationState.Incomplete when reading.Run == RunOutcome.Failed => EngineText.Get("verdict.summary.tester_failed"),
            FederationState.Incomplete => Stopped(reading),
            FederationState.NotChecked => EngineText.Get("verdict.summary.not_checked"),
            _ => Broken(reading),
        };
        if (reading.Clients.State is ClientsState.Broken or ClientsState.Unusable)
        {
            text += " " + EngineText.Format("verdict.summary.clients", ("clients", Clients(reading.Clients.State)));
        }
        if (reading.Calls is { State: MatrixRtcStatus.Broken } calls)
        {
            text += " " + EngineText.Format("verdict.summary.calls", ("calls", Calls(calls.State)));
        }
        if (reading.Login is { State: AuthStatus.Broken } login)
        {
            text += " " + EngineText.Format("verdict.summary.login", ("login", Login(login.State)));
        }
        return text;
    }

    private static string Stopped(ReportReading reading) =>
        EngineText.Format("verdict.stopped", ("seconds", Math.Round(reading.Report.Duration.TotalSeconds)), ("pending", OutcomeWords.Pending(reading.Pending)));

    /// <summary>
    /// A broken verdict in a sentence: in English the report's own summary; in another language the same cases, in the
    /// same order, written from the resources.
    /// </summary>
    private static string Broken(ReportReading reading)
    {
        var report = reading.Report;
        if (System.Globalization.CultureInfo.CurrentUICulture.Name is "" or Languages.English)
        {
            return report.Verdict.Summary;
        }
        var errors = reading.Federation.Errors;
        var ipv4 = reading.Federation.IPv4;
        var ipv6 = reading.Federation.IPv6;
        return EngineText.Format(true switch
        {
            _ when (report.Discovery?.Endpoints.Count ?? 0) == 0 => "verdict.broken.no_address",
            _ when report.Connections.Count == 0 => "verdict.broken.discovery",
            _ when ipv4 == FamilyState.Works && ipv6 == FamilyState.Broken => "verdict.broken.ipv6",
            _ when ipv6 == FamilyState.Works && ipv4 == FamilyState.Broken => "verdict.broken.ipv4",
            _ => "verdict.broken.errors",
        }, ("errors", Count(errors, "error")));
    }

    /// <summary>Some addresses working is not "unreachable": peers that pick a bad one fail or wait for a timeout.</summary>
    private static string Consequence(ReportReading reading) => EngineText.Get(reading.Report.Connections.Any(c => c.Passed)
        ? "verdict.consequence.some"
        : "verdict.consequence.none");
}
