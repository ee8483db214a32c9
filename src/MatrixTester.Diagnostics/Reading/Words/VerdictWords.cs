using System.Globalization;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Diagnostics.Reading.Words;

/// <summary>
/// A chip beside the headline: a stable key (for page markup and scripts), what it is about, its state in words, how
/// it looks, the docs page if any, and a longer explanation (a tooltip).
/// </summary>
public sealed record Chip(string Key, string Label, string Value, Tone Tone, string? Docs = null, string? Title = null);

/// <summary>
/// The verdicts in English, keyed by the reading's states: the headline, its second line, the pill, the chips, the
/// badge and the one-line summary kept with a stored result. Every surface takes its words from here.
/// </summary>
public static class VerdictWords
{
    public static string Headline(FederationState state) => state switch
    {
        FederationState.Works => "Federation works",
        FederationState.WorksWithWarnings => "Federation works, with warnings",
        FederationState.Broken => "Federation is broken",
        FederationState.Incomplete => "Federation test incomplete",
        _ => "Not checked: not a server name",
    };

    /// <summary>The state inside a sentence ("changed from works to broken").</summary>
    public static string Word(FederationState state) => state switch
    {
        FederationState.Works => "works",
        FederationState.WorksWithWarnings => "works with warnings",
        FederationState.Broken => "broken",
        FederationState.Incomplete => "incomplete",
        _ => "not checked",
    };

    /// <summary>A finding's severity as a label.</summary>
    public static string SeverityLabel(Severity severity) => severity switch
    {
        Severity.Error => "Error",
        Severity.Warning => "Warning",
        _ => "Note",
    };

    /// <summary>Which verdict a finding counts for, as a tag beside it (federation findings carry none).</summary>
    public static string Part(ReportPart part) => part switch
    {
        ReportPart.Federation => "Federation",
        ReportPart.Clients => "For clients",
        ReportPart.TwoWay => "Two-way check",
        _ => "The test",
    };

    /// <summary>The badge's value: short, from a fixed set (its width is computed from these words).</summary>
    public static string Badge(FederationState? state) => state switch
    {
        null or FederationState.NotChecked => "unknown",
        FederationState.WorksWithWarnings => "warnings",
        var known => Word(known.Value),
    };

    /// <summary>What the headline's pill counts: federation findings only.</summary>
    public static string Pill(FederationVerdict federation)
    {
        ArgumentNullException.ThrowIfNull(federation);
        return Pill(federation.Errors, federation.Warnings);
    }

    /// <summary>A verdict's own counts ("1 error, 0 warnings").</summary>
    public static string Pill(int errors, int warnings) => $"{Count(errors, "error")}, {Count(warnings, "warning")}";

    public static string Family(FamilyState state) => state switch
    {
        FamilyState.Works => "works",
        FamilyState.Broken => "broken",
        FamilyState.NoAddress => "no address",
        _ => "not checked",
    };

    public static string Clients(ClientsState state) => state switch
    {
        ClientsState.Works => "works",
        ClientsState.WorksWithWarnings => "works, with warnings",
        ClientsState.Broken => "broken",
        ClientsState.Unusable => "no usable client file",
        ClientsState.NotPublished => "not published",
        ClientsState.Incomplete => "not finished",
        _ => "not checked",
    };

    public static string TwoWay(TwoWayStatus state) => state switch
    {
        TwoWayStatus.Works => "works",
        TwoWayStatus.Broken => "broken",
        TwoWayStatus.Unsupported => "unsupported",
        TwoWayStatus.NotConfigured => "not configured",
        _ => "skipped",
    };

    /// <summary>
    /// The chips beside the headline: each address family, clients, and the two-way check where this tester runs it
    /// (a site without its own Matrix identity says so once, in its docs, rather than on every result).
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

    /// <summary>One line kept with a stored result (history, feed, picture tooltips): the federation verdict, and clients when they fail.</summary>
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
        return reading.Clients.State is ClientsState.Broken or ClientsState.Unusable
            ? $"{text} Clients: {Clients(reading.Clients.State)}."
            : text;
    }

    private static string Stopped(ReportReading reading) =>
        string.Create(CultureInfo.InvariantCulture, $"The test stopped at its time limit ({reading.Report.Duration.TotalSeconds:0} s) while waiting for {OutcomeWords.Pending(reading.Pending)}.");

    /// <summary>Some addresses working is not "unreachable": peers that pick a bad one fail or wait for a timeout.</summary>
    private static string Consequence(ReportReading reading) => reading.Report.Connections.Any(c => c.Passed)
        ? "Homeservers that pick a failing address will fail or be slow to reach it."
        : "Other homeservers cannot deliver messages to it.";

    private static Tone FamilyTone(FamilyState state) => state switch
    {
        FamilyState.Works => Tone.Good,
        FamilyState.Broken => Tone.Bad,
        _ => Tone.Neutral,
    };

    internal static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    // Not capitalised: summaries often start with a server name or an address, which keep their case.
    private static string Sentence(string text) => text.Length == 0 ? text : $"{text.TrimEnd('.')}.";
}
