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
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{s.TotalMilliseconds:0.0} ms"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{s.TotalMilliseconds:0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:0.0} s"),
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
                : string.Create(CultureInfo.InvariantCulture, $"{status}{reason}, then {exchange.Failure.Describe()}");
        }
        return exchange.Failure.Describe();
    }

    /// <summary>A support contact's role: the two the spec defines in words, any other (namespaced) role as written.</summary>
    public static string Role(string role) => role switch
    {
        "m.role.admin" => "Administrator",
        "m.role.security" => "Security contact",
        "" => "No role given",
        _ => role,
    };

    /// <summary>
    /// Unstable features worth naming at a glance, by what they let clients do. Others are counted, not listed: a
    /// homeserver turns on dozens, most of interest to client developers only.
    /// </summary>
    private static readonly Dictionary<string, string> Notable = new(StringComparer.Ordinal)
    {
        ["org.matrix.simplified_msc3575"] = "simplified sliding sync (MSC4186)",
        ["org.matrix.msc4186"] = "simplified sliding sync (MSC4186)",
        ["org.matrix.msc3575"] = "sliding sync (MSC3575)",
        ["org.matrix.msc3916.stable"] = "authenticated media (MSC3916)",
        ["org.matrix.msc3916"] = "authenticated media (MSC3916)",
        ["org.matrix.msc3861"] = "sign-in through an OpenID Connect provider (MSC3861)",
        ["org.matrix.msc2965"] = "OpenID Connect discovery (MSC2965)",
        ["org.matrix.msc4108"] = "sign-in with a QR code (MSC4108)",
        ["org.matrix.msc3882"] = "login tokens for new devices (MSC3882)",
        ["org.matrix.msc3266"] = "room summaries (MSC3266)",
        ["uk.tcpip.msc4133"] = "extended profile fields (MSC4133)",
    };

    /// <summary>The notable features among <paramref name="features"/>, in words, each once.</summary>
    public static IReadOnlyList<string> NotableFeatures(IEnumerable<string> features) =>
        [.. features.Select(f => Notable.GetValueOrDefault(f)).OfType<string>().Distinct(StringComparer.Ordinal)];

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

    public static string Count(int count, string one, string many) =>
        count == 1 ? $"1 {one}" : string.Create(CultureInfo.InvariantCulture, $"{count} {many}");
}
