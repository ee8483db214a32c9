using System.Globalization;
using System.Text.Encodings.Web;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Html;

namespace MatrixTester.Web.History;

/// <summary>One result as a dot on the picture: where, which verdict, and its tooltip.</summary>
public sealed record TimelinePoint(double X, double Y, string Verdict, string Label, string Id);

/// <summary>
/// The geometry of the verdict-over-time picture on <c>/s/{server_name}</c>, computed here so the Razor view only
/// draws: one lane per verdict, time on the horizontal axis (proportional, oldest on the left), a step line through
/// the results, and a sentence that says the same for people who cannot see the picture.
/// </summary>
public sealed record VerdictTimeline(string ServerName, IReadOnlyList<TimelinePoint> Points, string Path, string FirstLabel, string LastLabel, string Description)
{
    public const int Width = 720;
    public const int Height = 130;
    public const double Left = 150;
    public const double Right = 700;
    public const double AxisY = 112;

    /// <summary>The lanes, top to bottom: label, verdict, y.</summary>
    public static IReadOnlyList<(string Label, string Verdict, double Y)> Lanes { get; } =
        [("Works", "Works", 22), ("With warnings", "WorksWithWarnings", 55), ("Broken", "Broken", 88)];

    /// <param name="newestFirst">As <see cref="IResultStore.RecentAsync"/> returns them.</param>
    public static VerdictTimeline From(string serverName, IReadOnlyList<ResultSummary> newestFirst)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var results = newestFirst.OrderBy(r => r.CreatedAt).ToArray();
        if (results.Length == 0)
        {
            return new VerdictTimeline(serverName, [], "", "", "", $"There are no stored results for {serverName} yet.");
        }
        var first = results[0].CreatedAt;
        var span = (results[^1].CreatedAt - first).TotalSeconds;
        var points = results.Select(r => new TimelinePoint(
            span <= 0 ? (Left + Right) / 2 : Math.Round(Left + ((r.CreatedAt - first).TotalSeconds / span * (Right - Left)), 1),
            LaneY(r.Verdict), Normalize(r.Verdict), $"{Stamp(r.CreatedAt)}: {Words(r.Verdict)}. {r.Summary}", r.Id)).ToArray();
        // A step line: the verdict holds until the next result.
        var path = string.Join(" ", points.Select((p, i) => i == 0 ? $"M{N(p.X)} {N(p.Y)}" : $"H{N(p.X)} V{N(p.Y)}"));
        return new VerdictTimeline(serverName, points, path, Stamp(results[0].CreatedAt), Stamp(results[^1].CreatedAt), Describe(serverName, results));
    }

    private static string Describe(string serverName, ResultSummary[] results)
    {
        var counts = Lanes.Select(l => (l.Label, Count: results.Count(r => Normalize(r.Verdict) == l.Verdict))).Where(c => c.Count > 0)
            .Select(c => $"{c.Label.ToLowerInvariant()} {c.Count}");
        var changes = results.Zip(results.Skip(1)).Count(p => Normalize(p.First.Verdict) != Normalize(p.Second.Verdict));
        var latest = results[^1];
        var since = results.AsEnumerable().Reverse().TakeWhile(r => Normalize(r.Verdict) == Normalize(latest.Verdict)).Last().CreatedAt;
        var times = results.Length == 1 ? "1 result" : $"{results.Length} results";
        var changed = changes switch { 0 => "The verdict never changed", 1 => "The verdict changed once", _ => $"The verdict changed {changes} times" };
        return $"Verdict over time for {serverName}: {times} from {Stamp(results[0].CreatedAt)} to {Stamp(latest.CreatedAt)} UTC ({string.Join(", ", counts)}). "
            + $"{changed}; the latest result says {Words(latest.Verdict)}, the same since {Stamp(since)} UTC.";
    }

    private static double LaneY(string verdict) => Lanes.First(l => l.Verdict == Normalize(verdict)).Y;

    /// <summary>Stored verdicts are enum names; anything unexpected is drawn as broken rather than dropped.</summary>
    private static string Normalize(string verdict) => verdict is "Works" or "WorksWithWarnings" ? verdict : "Broken";

    internal static string Words(string verdict) => Normalize(verdict) switch
    {
        "Works" => "works",
        "WorksWithWarnings" => "works with warnings",
        _ => "broken",
    };

    internal static string Stamp(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// An SVG <c>text</c> element (Razor reserves <c>&lt;text&gt;</c> for itself, so it cannot be written in a view);
    /// the content is HTML-encoded here.
    /// </summary>
    public static IHtmlContent Text(double x, double y, string cssClass, string content, string anchor = "start") => new HtmlString(
        $"<text class=\"{cssClass}\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\">{HtmlEncoder.Default.Encode(content)}</text>");

    internal static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
