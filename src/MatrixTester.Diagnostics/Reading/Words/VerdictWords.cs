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
/// The verdicts in the reader's language (resources <c>verdict.*</c>), keyed by the reading's states: the headline,
/// its second line, the pill, the chips, the badge and the one-line summary kept with a stored result. Every surface
/// takes its words from here.
/// </summary>
public static partial class VerdictWords
{
    public static string Headline(FederationState state) => EngineText.Get($"verdict.headline.{Known(state)}");

    /// <summary>The state inside a sentence ("changed from works to broken").</summary>
    public static string Word(FederationState state) => EngineText.Get($"verdict.word.{Known(state)}");

    /// <summary>A finding's severity as a label.</summary>
    public static string SeverityLabel(Severity severity) => EngineText.Get(severity switch
    {
        Severity.Error => "verdict.severity.Error",
        Severity.Warning => "verdict.severity.Warning",
        _ => "verdict.severity.Info",
    });

    /// <summary>Which verdict a finding counts for, as a tag beside it (federation findings carry none).</summary>
    public static string Part(ReportPart part) => EngineText.Get(part switch
    {
        ReportPart.Federation => "verdict.part.Federation",
        ReportPart.Clients => "verdict.part.Clients",
        ReportPart.TwoWay => "verdict.part.TwoWay",
        ReportPart.Calls => "verdict.part.Calls",
        ReportPart.Login => "verdict.part.Login",
        _ => "verdict.part.Test",
    });

    /// <summary>A lane of the verdict-over-time picture.</summary>
    public static string Lane(FederationState state) => EngineText.Get(state switch
    {
        FederationState.Works => "verdict.lane.Works",
        FederationState.WorksWithWarnings => "verdict.lane.WorksWithWarnings",
        FederationState.Broken => "verdict.lane.Broken",
        _ => "verdict.lane.Incomplete",
    });

    /// <summary>
    /// The badge's value: short, from a fixed set (its width is computed from these words). Always English: a badge
    /// is one public image embedded in other people's pages and cached by their visitors' proxies.
    /// </summary>
    public static string Badge(FederationState? state) => state switch
    {
        null or FederationState.NotChecked => "unknown",
        FederationState.WorksWithWarnings => "warnings",
        var known => EngineText.English($"verdict.word.{Known(known.Value)}"),
    };

    /// <summary>What the headline's pill counts: federation findings only.</summary>
    public static string Pill(FederationVerdict federation)
    {
        ArgumentNullException.ThrowIfNull(federation);
        return Pill(federation.Errors, federation.Warnings);
    }

    /// <summary>A verdict's own counts ("1 error, 0 warnings").</summary>
    public static string Pill(int errors, int warnings) =>
        EngineText.Format("verdict.pill", ("errors", Count(errors, "error")), ("warnings", Count(warnings, "warning")));

    public static string Family(FamilyState state) => EngineText.Get(state switch
    {
        FamilyState.Works => "verdict.family.Works",
        FamilyState.Broken => "verdict.family.Broken",
        FamilyState.NoAddress => "verdict.family.NoAddress",
        _ => "verdict.family.NotChecked",
    });

    public static string Clients(ClientsState state) => EngineText.Get(state switch
    {
        ClientsState.Works or ClientsState.WorksWithWarnings or ClientsState.Broken or ClientsState.Unusable
            or ClientsState.NotPublished or ClientsState.Incomplete => $"verdict.clients.{state}",
        _ => "verdict.clients.NotChecked",
    });

    public static string TwoWay(TwoWayStatus state) => EngineText.Get(state switch
    {
        TwoWayStatus.Works or TwoWayStatus.Broken or TwoWayStatus.Unsupported or TwoWayStatus.NotConfigured => $"verdict.twoway.{state}",
        _ => "verdict.twoway.Skipped",
    });

    /// <summary>The calls verdict in a word or two ("Calls: ready").</summary>
    public static string Calls(MatrixRtcStatus state) => EngineText.Get(state switch
    {
        MatrixRtcStatus.Ready or MatrixRtcStatus.Partial or MatrixRtcStatus.Broken => $"verdict.calls.{state}",
        _ => "verdict.calls.NotOffered",
    });

    /// <summary>The login verdict in a word ("Login: OIDC"); the classic login API is normal, not a fault.</summary>
    public static string Login(AuthStatus state) => EngineText.Get(state switch
    {
        AuthStatus.Oidc or AuthStatus.Broken => $"verdict.login.{state}",
        _ => "verdict.login.Legacy",
    });

    public static string TokenCheck(TokenCheckStatus state) => EngineText.Get(state switch
    {
        TokenCheckStatus.Works or TokenCheckStatus.Broken or TokenCheckStatus.NotConfigured => $"verdict.token.{state}",
        _ => "verdict.token.Skipped",
    });

    private static Tone FamilyTone(FamilyState state) => state switch
    {
        FamilyState.Works => Tone.Good,
        FamilyState.Broken => Tone.Bad,
        _ => Tone.Neutral,
    };

    private static string Known(FederationState state) => state switch
    {
        FederationState.Works or FederationState.WorksWithWarnings or FederationState.Broken or FederationState.Incomplete => state.ToString(),
        _ => "NotChecked",
    };

    /// <summary>"1 error", "3 warnings": <paramref name="noun"/> names the counted thing (resources <c>verdict.count.{noun}.one/other</c>).</summary>
    internal static string Count(int n, string noun) => EngineText.Format($"verdict.count.{noun}.{(n == 1 ? "one" : "other")}", ("n", n));

    // Not capitalised: summaries often start with a server name or an address, which keep their case.
    private static string Sentence(string text) => text.Length == 0 ? text : $"{text.TrimEnd('.')}.";
}
