using System.Globalization;
using System.Security;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Badges;

/// <summary>
/// A small flat status badge ("federation | works") as SVG, in the reading's words for the stored federation state
/// (works, warnings, broken, incomplete, unknown). The visible words come from that fixed set, so their widths are
/// known; the only server-controlled text (the server name, in the accessible title) is XML-escaped.
/// </summary>
public static class BadgeSvg
{
    private const string Label = "federation";

    public static string Render(string serverName, ResultSummary? latest)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        FederationState? state = latest is null ? null : FederationStates.FromStored(latest.Verdict);
        var value = VerdictWords.Badge(state);
        var color = (state is { } known ? FederationStates.Tone(known) : Tone.Neutral) switch
        {
            Tone.Good => "#1a7f37",
            Tone.Warning => "#9a6700",
            Tone.Bad => "#cf222e",
            _ => "#6e7781",
        };
        var title = state is not { } shown
            ? $"Matrix federation for {serverName}: unknown (no stored result)"
            : $"Matrix federation for {serverName}: {VerdictWords.Word(shown)} (tested {latest!.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)";
        return Draw(Label, value, color, title);
    }

    /// <summary>"uptime 30d | 99.2 %": green from 99 %, amber from 95 %, red below, grey without a check.</summary>
    public static string RenderUptime(string serverName, UptimeWindow window)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        ArgumentNullException.ThrowIfNull(window);
        // Badges are English whatever the visitor's language: one image, embedded anywhere, cached by everyone.
        var (value, line, days) = MatrixTester.Diagnostics.Languages.In(MatrixTester.Diagnostics.Languages.English,
            () => (window.Share is { } share ? UptimeWords.Share(share) : UptimeWords.NoChecks, UptimeWords.Line(window), UptimeWords.Window(window.Days)));
        var color = window.Share switch
        {
            null => "#6e7781",
            >= 0.99 => "#1a7f37",
            >= 0.95 => "#9a6700",
            _ => "#cf222e",
        };
        var title = $"Matrix federation uptime for {serverName} over {days}: {line}";
        return Draw(UptimeWords.Badge(window.Days), value, color, title);
    }

    private static string Draw(string label, string value, string color, string title)
    {
        var escaped = SecurityElement.Escape(title);
        var left = Width(label);
        var right = Width(value);
        return string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{left + right}" height="20" viewBox="0 0 {left + right} 20" role="img" aria-label="{escaped}"><title>{escaped}</title><rect width="{left}" height="20" fill="#555"/><rect x="{left}" width="{right}" height="20" fill="{color}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="{left / 2.0}" y="14">{label}</text><text x="{left + (right / 2.0)}" y="14">{value}</text></g></svg>""");
    }

    /// <summary>About 6.5 px per character of 11 px Verdana, plus padding; the words are ours, so this is enough.</summary>
    private static int Width(string text) => (int)Math.Ceiling((text.Length * 6.5) + 12);
}
