using System.Globalization;

namespace MatrixTester.Web;

/// <summary>Uptime in English, for the server page, its feed and the uptime badge (one place, for later translation).</summary>
public static class UptimeWords
{
    public const string Title = "Uptime";
    public const string Explanation = "The share of scheduled checks that found federation working (works, or works with warnings). Checks that did not finish count for neither side.";
    public const string BadgeLabel = "uptime";
    public const string NoChecks = "no checks";

    /// <summary>"99.2 %"; "100 %" only when every check worked (never rounded up to it).</summary>
    public static string Share(double share) =>
        share >= 1 ? "100 %" : string.Create(CultureInfo.InvariantCulture, $"{Math.Min(Math.Floor(share * 1000) / 10, 99.9):0.0} %");

    public static string Window(int days) => string.Create(CultureInfo.InvariantCulture, $"{days} days");

    /// <summary>"99.2 % (124 of 125 checks)", or "no checks".</summary>
    public static string Line(UptimeWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Share is not { } share)
        {
            return window.NotFinished > 0 ? $"{NoChecks} finished ({Checks(window.NotFinished)} did not)" : NoChecks;
        }
        var text = string.Create(CultureInfo.InvariantCulture, $"{Share(share)} ({window.Worked} of {Checks(window.Decided)} worked)");
        return window.NotFinished > 0 ? string.Create(CultureInfo.InvariantCulture, $"{text}; {Checks(window.NotFinished)} did not finish") : text;
    }

    /// <summary>For the feed: "Uptime of scheduled checks: 7 days 100 %, 30 days 99.2 %, 90 days 99.5 %."</summary>
    public static string Sentence(Uptime uptime)
    {
        ArgumentNullException.ThrowIfNull(uptime);
        return $"Uptime of scheduled checks: {string.Join(", ", uptime.Windows.Select(w => $"{Window(w.Days)} {(w.Share is { } s ? Share(s) : NoChecks)}"))}.";
    }

    /// <summary>The uptime badge's label: "uptime 30d".</summary>
    public static string Badge(int days) => string.Create(CultureInfo.InvariantCulture, $"{BadgeLabel} {days}d");

    private static string Checks(int n) => n == 1 ? "1 check" : string.Create(CultureInfo.InvariantCulture, $"{n} checks");
}
