using System.Globalization;
using System.Text.Json;

namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// The stored <c>matrixRtc.tokenCheck</c> as the page shows it: the result, the SFU named, and each call of our
/// userinfo endpoint in the same words the live view used, so a permalink reads like the live run without JavaScript.
/// </summary>
public sealed record TokenCheckView(string Status, string Summary, bool CallbackSeen, string? SfuUrl, IReadOnlyList<string> Callbacks, JsonElement Element)
{
    public string Chip => Status switch
    {
        "Works" => "works",
        "Broken" => "broken",
        "NotConfigured" => "not configured",
        _ => "skipped",
    };

    public string CssClass => Status switch
    {
        "Works" => "pill-ok",
        "Broken" => "pill-bad",
        _ => "pill-none",
    };

    /// <summary>The services asked, each in one line: which endpoint, what it answered, what the SFU said.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    public static TokenCheckView? From(JsonElement? matrixRtc)
    {
        if (matrixRtc is not { } rtc || ReportView.Obj(rtc, "tokenCheck") is not { } e)
        {
            return null;
        }
        var callbacks = ReportView.Array(e, "services").SelectMany(s => ReportView.Array(s, "callbacks")).Select(c =>
        {
            var agent = ReportView.Str(c, "userAgent");
            var at = c.TryGetProperty("atMs", out var ms) && ms.ValueKind == JsonValueKind.Number ? ms.GetInt64().ToString(CultureInfo.InvariantCulture) : "?";
            return $"Calls: the authorization service verified our test user (it asked our server from {ReportView.Str(c, "remoteAddress")} over {ReportView.Str(c, "addressFamily")}{(string.IsNullOrEmpty(agent) ? "" : $", {agent}")} after {at} ms)";
        }).ToArray();
        return new TokenCheckView(ReportView.Str(e, "status") ?? "Skipped", ReportView.Str(e, "summary") ?? "", ReportView.Bool(e, "callbackSeen") ?? false,
            ReportView.Str(e, "sfuUrl"), callbacks, e)
        {
            Services = [.. ReportView.Array(e, "services").Select(ServiceLine)],
        };
    }

    private static string ServiceLine(JsonElement s)
    {
        var url = $"{ReportView.Str(s, "serviceUrl")}{ReportView.Str(s, "endpoint")}";
        var answer = s.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.Number
            ? $"answered {st.GetInt32().ToString(CultureInfo.InvariantCulture)}{(ReportView.Str(s, "errcode") is { } code ? " " + code : "")}"
            : $"could not be asked ({ReportView.Str(s, "error") ?? "no answer"})";
        var sfu = ReportView.Obj(s, "sfuValidation") is { } v
            ? v.TryGetProperty("status", out var vs) && vs.ValueKind == JsonValueKind.Number
                ? $"; the SFU's token check ({ReportView.Str(v, "url")}) answered {vs.GetInt32().ToString(CultureInfo.InvariantCulture)}"
                : $"; the SFU's token check ({ReportView.Str(v, "url")}) failed: {ReportView.Str(v, "error")}"
            : "";
        return $"{url} {answer}{sfu}";
    }
}
