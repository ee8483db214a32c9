using System.Globalization;
using System.Text.Json;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// The stored <c>twoWay</c> section as the page shows it: the chip beside IPv4/IPv6 and the fetches of our key, in
/// the same words the live view used, so a permalink reads like the live run without JavaScript.
/// </summary>
public sealed record TwoWayView(string Status, string Summary, string? ProbeKeyId, IReadOnlyList<string> Fetches, JsonElement Element)
{
    /// <summary>What the control request (a wrong signature) showed, in words; null when it was not sent.</summary>
    public string? Control { get; init; }

    /// <summary>The count of fetches from other addresses, in words; null when there were none.</summary>
    public string? Unattributed { get; init; }

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
        var others = e.TryGetProperty("unattributedFetches", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) ? count : 0;
        return new TwoWayView(ReportView.Str(e, "status") ?? "Skipped", ReportView.Str(e, "summary") ?? "", ReportView.Str(e, "probeKeyId"), fetches, e)
        {
            Control = e.TryGetProperty("controlRequest", out var control) && control.ValueKind == JsonValueKind.Object ? ControlLine(control) : null,
            Unattributed = others switch
            {
                <= 0 => null,
                1 => "One other fetch of our keys arrived during the check, from an address that is not your server's. Anyone can fetch our keys, so it is not listed and does not count as your server's.",
                _ => string.Create(CultureInfo.InvariantCulture, $"{others} other fetches of our keys arrived during the check, from addresses that are not your server's. Anyone can fetch our keys, so they are not listed and do not count as your server's."),
            },
        };
    }

    private static string ControlLine(JsonElement control)
    {
        var answer = control.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number
            ? $"{s.GetInt32().ToString(CultureInfo.InvariantCulture)}{(ReportView.Str(control, "errcode") is { } code ? " " + code : "")}"
            : "no answer";
        return ReportView.Str(control, "outcome") switch
        {
            "Rejected" => $"The same request with a wrong signature was refused ({answer}): your server checks signatures.",
            "Accepted" => $"The same request with a wrong signature was answered like the correct one ({answer}): whatever answers does not check signatures.",
            _ => $"The same request with a wrong signature got {answer}, which says nothing about whether your server checks signatures.",
        };
    }
}
