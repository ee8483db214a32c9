using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// The bar of one timeline row as inline SVG. The SVG stretches to the width of its track (no fixed aspect ratio),
/// so labels stay HTML text that wraps on a phone while every bar keeps its place on the shared time axis. Colours
/// come from classes (the stylesheet has light and dark values; the CSP allows no inline styles).
/// </summary>
public static class TimelineSvg
{
    private const double Width = 1000;

    public static IHtmlContent Bar(TimelineRow row, double total)
    {
        ArgumentNullException.ThrowIfNull(row);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"tl-bar{(row.Critical ? " tl-critical" : "")}\" viewBox=\"0 0 {Width} 12\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"tl-track\" x=\"0\" y=\"0\" width=\"{Width}\" height=\"12\"/>");
        foreach (var segment in row.Segments)
        {
            var x = X(segment.Start, total);
            var width = Math.Max(X(segment.Start + segment.Duration, total) - x, 3);
            var kind = segment.Kind switch
            {
                SegmentKind.Dns => "tl-dns",
                SegmentKind.Connect => "tl-connect",
                SegmentKind.Tls => "tl-tls",
                _ => row.TimedOut ? "tl-timeout" : row.Failed ? "tl-failed" : "tl-ok",
            };
            if (segment.Kind == SegmentKind.Dns && row.Failed)
            {
                kind = row.TimedOut ? "tl-timeout" : "tl-failed";
            }
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"tl-seg {kind}\" x=\"{x:0.#}\" y=\"1\" width=\"{Math.Min(width, Width - x):0.#}\" height=\"10\" vector-effect=\"non-scaling-stroke\"/>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>The axis: a tick every quarter (labels are HTML next to it).</summary>
    public static IHtmlContent Axis()
    {
        var svg = new StringBuilder($"<svg class=\"tl-axis-lines\" viewBox=\"0 0 {Width} 8\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"tl-axis-line\" x1=\"0\" y1=\"7\" x2=\"{Width}\" y2=\"7\" vector-effect=\"non-scaling-stroke\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var x = Math.Clamp(i * Width / 4, 0.5, Width - 0.5);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"tl-axis-line\" x1=\"{x:0.#}\" y1=\"0\" x2=\"{x:0.#}\" y2=\"8\" vector-effect=\"non-scaling-stroke\"/>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    public static IEnumerable<string> TickLabels(double total) =>
        Enumerable.Range(0, 5).Select(i => TimelineRow.Ms(total * i / 4));

    private static double X(double ms, double total) => Math.Clamp(ms / total * Width, 0, Width);
}
