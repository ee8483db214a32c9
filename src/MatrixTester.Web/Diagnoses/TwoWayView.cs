using System.Globalization;
using System.Text.Json;

namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// The stored <c>twoWay</c> section as the page shows it: the chip beside IPv4/IPv6 and the fetches of our key, in
/// the same words the live view used, so a permalink reads like the live run without JavaScript.
/// </summary>
public sealed record TwoWayView(string Status, string Summary, string? ProbeKeyId, IReadOnlyList<string> Fetches, JsonElement Element)
{
    public string Chip => Status switch
    {
        "Works" => "works",
        "Broken" => "broken",
        "Unsupported" => "unsupported",
        "NotConfigured" => "not configured",
        _ => "skipped",
    };

    public string CssClass => Status switch
    {
        "Works" => "pill-ok",
        "Broken" => "pill-bad",
        _ => "pill-none",
    };

    public static TwoWayView? From(JsonElement? element)
    {
        if (element is not { } e)
        {
            return null;
        }
        var fetches = ReportView.Array(e, "inbound").Select(i =>
        {
            var agent = ReportView.Str(i, "userAgent");
            var at = i.TryGetProperty("atMs", out var ms) && ms.ValueKind == JsonValueKind.Number ? ms.GetInt64().ToString(CultureInfo.InvariantCulture) : "?";
            return $"Your server fetched our key from {ReportView.Str(i, "remoteAddress")} over {ReportView.Str(i, "addressFamily")}{(string.IsNullOrEmpty(agent) ? "" : $" ({agent})")} after {at} ms";
        }).ToArray();
        return new TwoWayView(ReportView.Str(e, "status") ?? "Skipped", ReportView.Str(e, "summary") ?? "", ReportView.Str(e, "probeKeyId"), fetches, e);
    }
}
