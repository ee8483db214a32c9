using System.Globalization;
using MatrixTester.Diagnostics;

namespace MatrixTester.Web.Statistics;

/// <summary>One bar: its label, how many servers, their share of the chart's total, and a link (docs) if any.</summary>
public sealed record Bar(string Label, int Servers, string Share, string? Href = null);

/// <summary>
/// A horizontal bar chart drawn by the server as SVG (no script), with its figures also as a table: the text
/// alternative a screen reader or a copy-and-paste gets. Geometry is computed here so the view only places it.
/// </summary>
public sealed record BarChart(string Id, string Title, int Total, IReadOnlyList<Bar> Bars, string? Note = null)
{
    // Sized to stay legible on a phone: the picture scrolls in its frame below about 420 px rather than shrink.
    public const int Width = 520;
    public const int RowHeight = 28;
    public const int LabelWidth = 210;
    public const int BarRoom = 200;

    public int Height => Math.Max(1, Bars.Count) * RowHeight;

    /// <summary>The bar's length in the picture: the largest bar fills the room.</summary>
    public double Length(Bar bar)
    {
        ArgumentNullException.ThrowIfNull(bar);
        var largest = Bars.Count == 0 ? 0 : Bars.Max(b => b.Servers);
        return largest == 0 ? 0 : Math.Max(2, BarRoom * (double)bar.Servers / largest);
    }

    /// <summary>A label short enough for its column in the picture (the table has it whole).</summary>
    public static string Clip(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        // Under the pseudo-locale a label is "[!!…!!]": cut inside the marks, so a cut label still reads as ours.
        if (Languages.IsPseudo && label.Length > 26 && label.StartsWith("[!!", StringComparison.Ordinal) && label.EndsWith("!!]", StringComparison.Ordinal))
        {
            return $"[!!{Clip(label[3..^3])}!!]";
        }
        return label.Length <= 26 ? label : string.Concat(label.AsSpan(0, 25), "…");
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A chart of counts out of <paramref name="total"/>, largest first, at most <paramref name="top"/> bars.</summary>
    public static BarChart Of(string id, string title, int total, IEnumerable<(string Value, int Servers)> counts, Func<string, string> name,
        int top = 12, Func<string, string?>? href = null, string? note = null) =>
        new(id, title, total, [.. counts.OrderByDescending(c => c.Servers).ThenBy(c => c.Value, StringComparer.Ordinal).Take(top)
            .Select(c => new Bar(name(c.Value), c.Servers, StatisticsWords.Percent(c.Servers, total), href?.Invoke(c.Value)))], note);
}
