using System.Globalization;

namespace MatrixTester.Web;

/// <summary>
/// Uptime for the server page and its feed in the reader's language (<c>uptime.*</c> in the site's resources), and
/// the uptime badge's words, which stay English like every badge (<see cref="Badges.BadgeSvg"/> asks in English).
/// </summary>
public static class UptimeWords
{
    public const string BadgeLabel = "uptime";

    public static string Title => SiteText.Get("uptime.title");
    public static string Explanation => SiteText.Get("uptime.explanation");
    public static string HowCounted => SiteText.Get("uptime.how_counted");
    public static string NoChecks => SiteText.Get("uptime.no_checks");

    /// <summary>"99.2 %"; "100 %" only when every check worked (never rounded up to it).</summary>
    public static string Share(double share) =>
        share >= 1 ? "100 %" : string.Create(CultureInfo.InvariantCulture, $"{Math.Min(Math.Floor(share * 1000) / 10, 99.9):0.0} %");

    public static string Window(int days) => SiteText.Format("uptime.window", days);

    /// <summary>"99.2 % (124 of 125 checks worked)", or "no checks".</summary>
    public static string Line(UptimeWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Share is not { } share)
        {
            return window.NotFinished > 0 ? SiteText.Format("uptime.none_finished", Checks(window.NotFinished)) : NoChecks;
        }
        var text = SiteText.Format("uptime.line", Share(share), window.Worked, Checks(window.Decided));
        return window.NotFinished > 0 ? SiteText.Format("uptime.line.unfinished", text, Checks(window.NotFinished)) : text;
    }

    /// <summary>For the feed: "Uptime of scheduled checks: 7 days 100 %, 30 days 99.2 %, 90 days 99.5 %."</summary>
    public static string Sentence(Uptime uptime)
    {
        ArgumentNullException.ThrowIfNull(uptime);
        return SiteText.Format("uptime.sentence", string.Join(", ", uptime.Windows.Select(w => $"{Window(w.Days)} {(w.Share is { } s ? Share(s) : NoChecks)}")));
    }

    /// <summary>What a server's feed holds, before its uptime.</summary>
    public static string FeedSubtitle(string serverName) => SiteText.Format("uptime.feed_subtitle", serverName);

    /// <summary>The uptime badge's label: "uptime 30d".</summary>
    public static string Badge(int days) => string.Create(CultureInfo.InvariantCulture, $"{BadgeLabel} {days}d");

    private static string Checks(int n) => SiteText.Format(n == 1 ? "uptime.checks.one" : "uptime.checks.other", n);
}
