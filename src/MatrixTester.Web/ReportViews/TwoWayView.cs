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
            SiteText.Format("twoway.fetch", i.RemoteAddress, i.AddressFamily, string.IsNullOrEmpty(i.UserAgent) ? "" : $" ({i.UserAgent})", SiteText.Format("unit.ms", i.AtMs.ToString(CultureInfo.InvariantCulture)))).ToArray();
        return new TwoWayView(report, fetches)
        {
            Control = report.ControlRequest is { } control ? ControlLine(control) : null,
            Unattributed = report.UnattributedFetches switch
            {
                <= 0 => null,
                1 => SiteText.Get("twoway.unattributed.one"),
                var others => SiteText.Format("twoway.unattributed.other", others),
            },
        };
    }

    private static string ControlLine(ControlRequestReport control)
    {
        var answer = control.Status is { } status
            ? $"{status.ToString(CultureInfo.InvariantCulture)}{(control.Errcode is { } code ? " " + code : "")}"
            : SiteText.Get("twoway.no_answer");
        return control.Outcome switch
        {
            "Rejected" => SiteText.Format("twoway.control.rejected", answer),
            "Accepted" => SiteText.Format("twoway.control.accepted", answer),
            _ => SiteText.Format("twoway.control.other", answer),
        };
    }
}
