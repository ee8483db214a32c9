using System.Globalization;
using System.Text.Encodings.Web;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Html;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Web.History;

/// <summary>One result as a dot on the picture: where, which lane (a CSS token), and its tooltip.</summary>
public sealed record TimelinePoint(double X, double Y, string Lane, string Label, string Id);

/// <summary>
/// The geometry of the verdict-over-time picture on <c>/s/{server_name}</c>, computed here so the Razor view only
/// draws: one lane per verdict, time on the horizontal axis (proportional, oldest on the left), a step line through
/// the results, and a sentence that says the same for people who cannot see the picture.
/// </summary>
public sealed record VerdictTimeline(string ServerName, IReadOnlyList<TimelinePoint> Points, string Path, string FirstLabel, string LastLabel, string Description)
{
    public const int Width = 720;
    public const int Height = 163;
    public const double Left = 150;
    public const double Right = 700;
    public const double AxisY = 145;

    /// <summary>
    /// The lanes, top to bottom: label, the federation state drawn on it, its CSS token, y. A result that did not finish
    /// has its own lane: not checked is neither working nor broken.
    /// </summary>
    // Read on each use: the labels are in the reader's language.
    public static IReadOnlyList<(string Label, FederationState State, string Token, double Y)> Lanes =>
        [.. new[] { (FederationState.Works, "works"), (FederationState.WorksWithWarnings, "warnings"), (FederationState.Broken, "broken"), (FederationState.Incomplete, "incomplete") }
            .Select((lane, i) => (VerdictWords.Lane(lane.Item1), lane.Item1, lane.Item2, 22 + (33.0 * i)))];

    /// <param name="newestFirst">As <see cref="IResultStore.RecentAsync"/> returns them.</param>
    public static VerdictTimeline From(string serverName, IReadOnlyList<ResultSummary> newestFirst)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var results = newestFirst.OrderBy(r => r.CreatedAt).ToArray();
        if (results.Length == 0)
        {
            return new VerdictTimeline(serverName, [], "", "", "", SiteText.Format("timeline.none", serverName));
        }
        var first = results[0].CreatedAt;
        var span = (results[^1].CreatedAt - first).TotalSeconds;
        var points = results.Select(r => new TimelinePoint(
            span <= 0 ? (Left + Right) / 2 : Math.Round(Left + ((r.CreatedAt - first).TotalSeconds / span * (Right - Left)), 1),
            Lane(r).Y, Lane(r).Token, PointLabel(r), r.Id)).ToArray();
        // A step line: the verdict holds until the next result.
        var path = string.Join(" ", points.Select((p, i) => i == 0 ? $"M{N(p.X)} {N(p.Y)}" : $"H{N(p.X)} V{N(p.Y)}"));
        return new VerdictTimeline(serverName, points, path, Stamp(results[0].CreatedAt), Stamp(results[^1].CreatedAt), Describe(serverName, results));
    }

    private static string Describe(string serverName, ResultSummary[] results)
    {
        var counts = Lanes.Select(l => (l.Label, Count: results.Count(r => Lane(r).State == l.State))).Where(c => c.Count > 0)
            .Select(c => $"{c.Label.ToLowerInvariant()} {c.Count}");
        var changes = results.Zip(results.Skip(1)).Count(p => State(p.First) != State(p.Second));
        var latest = results[^1];
        var since = results.AsEnumerable().Reverse().TakeWhile(r => State(r) == State(latest)).Last().CreatedAt;
        var times = results.Length == 1 ? SiteText.Get("timeline.results.one") : SiteText.Format("timeline.results.other", results.Length);
        var changed = changes switch { 0 => SiteText.Get("timeline.changed.never"), 1 => SiteText.Get("timeline.changed.once"), _ => SiteText.Format("timeline.changed.times", changes) };
        return SiteText.Format("timeline.describe", serverName, times, Stamp(results[0].CreatedAt), Stamp(latest.CreatedAt), string.Join(", ", counts),
            changed, VerdictWords.Word(State(latest)), Stamp(since));
    }

    /// <summary>
    /// A point's tooltip: when and the verdict, and in English the summary line kept with the result (it is stored in
    /// English; another language shows only what it can say in its own words).
    /// </summary>
    private static string PointLabel(ResultSummary r) => System.Globalization.CultureInfo.CurrentUICulture.Name == MatrixTester.Diagnostics.Languages.English
        ? $"{Stamp(r.CreatedAt)}: {VerdictWords.Word(State(r))}. {r.Summary}"
        : $"{Stamp(r.CreatedAt)}: {VerdictWords.Word(State(r))}.";

    /// <summary>The stored federation state (anything unexpected reads as broken rather than being dropped).</summary>
    internal static FederationState State(ResultSummary result) => FederationStates.FromStored(result.Verdict);

    /// <summary>The lane of a result: an input that was not checked shares the lane of results that did not finish.</summary>
    private static (string Label, FederationState State, string Token, double Y) Lane(ResultSummary result) =>
        Lanes.FirstOrDefault(l => l.State == State(result), Lanes[^1]);

    internal static string Stamp(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// An SVG <c>text</c> element (Razor reserves <c>&lt;text&gt;</c> for itself, so it cannot be written in a view);
    /// the content is HTML-encoded here.
    /// </summary>
    public static IHtmlContent Text(double x, double y, string cssClass, string content, string anchor = "start") => new HtmlString(
        $"<text class=\"{cssClass}\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\">{HtmlEncoder.Default.Encode(content)}</text>");

    internal static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
