using System.Globalization;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Web.ReportViews;

/// <summary>The few words the detail tables and the facts at a glance compute (durations, dates, roles, features, statuses).</summary>
public static class DetailWords
{
    public const string None = "—";

    /// <summary>"0.4 ms", "38 ms", "3.2 s": as precise as a person needs.</summary>
    public static string Duration(TimeSpan? span) => span is not { } s ? None : s.TotalMilliseconds switch
    {
        < 10 => SiteText.Format("unit.ms", s.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)),
        < 1000 => SiteText.Format("unit.ms", s.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)),
        _ => SiteText.Format("unit.s", s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
    };

    public static string Date(DateTimeOffset? at) =>
        at is { } a ? a.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : None;

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"200 OK", or why no status came back ("connection refused").</summary>
    public static string Status(HttpExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Status is { } status)
        {
            var reason = exchange.ReasonPhrase is { Length: > 0 } phrase ? " " + phrase : "";
            return exchange.Failure == ExchangeFailure.None
                ? string.Create(CultureInfo.InvariantCulture, $"{status}{reason}")
                : SiteText.Format("detail.status_then", string.Create(CultureInfo.InvariantCulture, $"{status}{reason}"), exchange.Failure.Words());
        }
        return exchange.Failure.Words();
    }

    /// <summary>A support contact's role: the two the spec defines in words, any other (namespaced) role as written.</summary>
    public static string Role(string role) => role switch
    {
        "m.role.admin" => SiteText.Get("detail.role.admin"),
        "m.role.security" => SiteText.Get("detail.role.security"),
        "" => SiteText.Get("detail.role.none"),
        _ => role,
    };

    /// <summary>
    /// Unstable features worth naming at a glance, by what they let clients do (resource keys). Others are counted, not listed: a
    /// homeserver turns on dozens, most of interest to client developers only.
    /// </summary>
    private static readonly Dictionary<string, string> Notable = new(StringComparer.Ordinal)
    {
        ["org.matrix.simplified_msc3575"] = "feature.simplified_sliding_sync",
        ["org.matrix.msc4186"] = "feature.simplified_sliding_sync",
        ["org.matrix.msc3575"] = "feature.sliding_sync",
        ["org.matrix.msc3916.stable"] = "feature.authenticated_media",
        ["org.matrix.msc3916"] = "feature.authenticated_media",
        ["org.matrix.msc3861"] = "feature.oidc_sign_in",
        ["org.matrix.msc2965"] = "feature.oidc_discovery",
        ["org.matrix.msc4108"] = "feature.qr_sign_in",
        ["org.matrix.msc3882"] = "feature.login_tokens",
        ["org.matrix.msc3266"] = "feature.room_summaries",
        ["uk.tcpip.msc4133"] = "feature.profile_fields",
    };

    /// <summary>The notable features among <paramref name="features"/>, in words, each once.</summary>
    public static IReadOnlyList<string> NotableFeatures(IEnumerable<string> features) =>
        [.. features.Select(f => Notable.GetValueOrDefault(f)).OfType<string>().Distinct(StringComparer.Ordinal).Select(SiteText.Get)];

    public static bool IsNotable(string feature) => Notable.ContainsKey(feature);

    /// <summary>
    /// The newest of the spec versions a server lists ("r0.6.1", "v1.12"): the order of the list is the server's, so
    /// it is compared by number, and the v-versions come after the r-versions they replaced.
    /// </summary>
    public static string LatestVersion(IReadOnlyList<string> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.MaxBy(VersionKey, Comparer<(int, int, int, int)>.Default) ?? None;
    }

    private static (int, int, int, int) VersionKey(string version)
    {
        var era = version.StartsWith('v') ? 1 : version.StartsWith('r') ? 0 : -1;
        var numbers = version.TrimStart('v', 'r').Split('.').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        return (era, numbers.ElementAtOrDefault(0), numbers.ElementAtOrDefault(1), numbers.ElementAtOrDefault(2));
    }

    /// <summary>"1 contact", "3 contacts": <paramref name="key"/> names the resources <c>{key}.one</c> and <c>{key}.other</c>.</summary>
    public static string Count(int count, string key) => SiteText.Format(count == 1 ? $"{key}.one" : $"{key}.other", count);
}
