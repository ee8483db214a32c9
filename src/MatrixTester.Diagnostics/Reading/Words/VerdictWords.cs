using System.Globalization;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.RtcToken;
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
public static partial class VerdictWords
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
        ReportPart.Calls => "Calls",
        ReportPart.Login => "Login",
        _ => "The test",
    };

    /// <summary>A lane of the verdict-over-time picture.</summary>
    public static string Lane(FederationState state) => state switch
    {
        FederationState.Works => "Works",
        FederationState.WorksWithWarnings => "With warnings",
        FederationState.Broken => "Broken",
        _ => "Not finished",
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

    /// <summary>The calls verdict in a word or two ("Calls: ready").</summary>
    public static string Calls(MatrixRtcStatus state) => state switch
    {
        MatrixRtcStatus.Ready => "ready",
        MatrixRtcStatus.Partial => "partly",
        MatrixRtcStatus.Broken => "broken",
        _ => "not offered",
    };

    /// <summary>The login verdict in a word ("Login: OIDC"); the classic login API is normal, not a fault.</summary>
    public static string Login(AuthStatus state) => state switch
    {
        AuthStatus.Oidc => "OIDC",
        AuthStatus.Broken => "broken",
        _ => "classic",
    };

    public static string TokenCheck(TokenCheckStatus state) => state switch
    {
        TokenCheckStatus.Works => "works",
        TokenCheckStatus.Broken => "broken",
        TokenCheckStatus.NotConfigured => "not configured",
        _ => "skipped",
    };

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
