using System.Globalization;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// The report's two-way section as the page shows it: the fetches of our key, in the same words the live view used,
/// so a permalink reads like the live run without JavaScript. The chip and the verdict come from the reading.
/// </summary>
public sealed record TwoWayView(TwoWayReport Report, IReadOnlyList<string> Fetches)
{
    /// <summary>What the control request (a wrong signature) showed, in words; null when it was not sent.</summary>
    public string? Control { get; init; }

    /// <summary>The count of fetches from other addresses, in words; null when there were none.</summary>
    public string? Unattributed { get; init; }

    public static TwoWayView? From(TwoWayReport? report)
    {
        if (report is null)
        {
            return null;
        }
        var fetches = report.Inbound.Select(i =>
            $"Your server fetched our key from {i.RemoteAddress} over {i.AddressFamily}{(string.IsNullOrEmpty(i.UserAgent) ? "" : $" ({i.UserAgent})")} after {i.AtMs.ToString(CultureInfo.InvariantCulture)} ms").ToArray();
        return new TwoWayView(report, fetches)
        {
            Control = report.ControlRequest is { } control ? ControlLine(control) : null,
            Unattributed = report.UnattributedFetches switch
            {
                <= 0 => null,
                1 => "One other fetch of our keys arrived during the check, from an address that is not your server's. Anyone can fetch our keys, so it is not listed and does not count as your server's.",
                var others => string.Create(CultureInfo.InvariantCulture, $"{others} other fetches of our keys arrived during the check, from addresses that are not your server's. Anyone can fetch our keys, so they are not listed and do not count as your server's."),
            },
        };
    }

    private static string ControlLine(ControlRequestReport control)
    {
        var answer = control.Status is { } status
            ? $"{status.ToString(CultureInfo.InvariantCulture)}{(control.Errcode is { } code ? " " + code : "")}"
            : "no answer";
        return control.Outcome switch
        {
            "Rejected" => $"The same request with a wrong signature was refused ({answer}): your server checks signatures.",
            "Accepted" => $"The same request with a wrong signature was answered like the correct one ({answer}): whatever answers does not check signatures.",
            _ => $"The same request with a wrong signature got {answer}, which says nothing about whether your server checks signatures.",
        };
    }
}
