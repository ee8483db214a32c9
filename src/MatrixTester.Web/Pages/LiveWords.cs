using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace MatrixTester.Web.Pages;

/// <summary>
/// The live view's own words (stage names, status lines, the fallback links), in the visitor's language, handed to
/// the script as JSON in the live area's <c>data-words</c> attribute: the script builds the live log itself and has no
/// resources of its own.
/// </summary>
public static class LiveWords
{
    private static readonly string[] Keys =
    [
        "live.stage.server-name", "live.stage.well-known", "live.stage.srv", "live.stage.dns", "live.stage.endpoints",
        "live.stage.connection", "live.stage.two-way", "live.stage.client", "live.stage.calls", "live.stage.rtc-token", "live.stage.login", "live.failed", "live.not_started",
        "live.fallback.failed", "live.fallback.not_started", "live.open_report", "live.waiting", "live.checking",
        "live.checking_step", "live.finished", "live.finished_in", "live.log.one", "live.log.other", "unit.ms", "unit.s",
        "verdict.severity.Error", "verdict.severity.Warning", "verdict.severity.Info",
    ];

    /// <summary>The words as JSON (Razor encodes it for the attribute).</summary>
    public static string Json(IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        var words = Keys.ToDictionary(k => k, k => k.StartsWith("verdict.", StringComparison.Ordinal) ? Diagnostics.EngineText.Get(k) : localizer[k].Value, StringComparer.Ordinal);
        return JsonSerializer.Serialize(words);
    }
}
