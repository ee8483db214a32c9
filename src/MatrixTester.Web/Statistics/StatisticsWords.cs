using System.Globalization;

namespace MatrixTester.Web.Statistics;

/// <summary>The statistics page in English (one place, for later translation): titles, value names, sentences.</summary>
public static class StatisticsWords
{
    public const string Title = "Federation statistics";
    public const string Disabled = "Statistics are turned off on this site.";
    public const string NoResults = "No results in the last 30 days yet.";
    public const string Verdicts = "Does federation work?";
    public const string Delegation = "How servers delegate";
    public const string IPv6 = "IPv6";
    public const string Software = "Server software";
    public const string Versions = "Versions (the ten most common)";
    public const string Tls = "TLS versions";
    public const string TlsNote = "Each server counts once per version any of its addresses negotiated.";
    public const string Issuers = "Certificate issuers";
    public const string Findings = "The ten most common problems";
    public const string AsTable = "The figures as a table";
    public const string Value = "Answer";
    public const string Servers = "Servers";
    public const string Share = "Share";
    public const string Other = "other";

    public static string Lede(int servers, int days) => string.Create(CultureInfo.InvariantCulture,
        $"What the tester found on {Count(servers)} tested in the last {days} days, each counted once, by its latest result. No server is named here.");

    public static string Chart(string title, int servers) => string.Create(CultureInfo.InvariantCulture, $"{title}: a bar chart of {Count(servers)}");

    public static string Percent(int part, int whole) => whole == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.#} %");

    public static string Count(int servers) => servers == 1 ? "1 server" : string.Create(CultureInfo.InvariantCulture, $"{servers} servers");

    public static string Works(int working, int decided) => string.Create(CultureInfo.InvariantCulture,
        $"Federation works for {Percent(working, decided)} of the servers whose test finished ({working} of {decided}).");

    public static string IPv6Share(int withAddress, int servers, int working) => withAddress == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Percent(0, servers)} of servers publish an IPv6 address for federation (0 of {servers}).")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Percent(withAddress, servers)} of servers publish an IPv6 address for federation ({withAddress} of {servers}); it works for {Percent(working, withAddress)} of them ({working} of {withAddress}).");

    public const string NoneFound = "None found.";

    public static string IssuersNote(int minimum) => string.Create(CultureInfo.InvariantCulture,
        $"By the organisation in the issuer's name; an issuer used by fewer than {minimum} servers counts as \"{Other}\".");

    public static string Cached(DateTimeOffset at) => $"Counted {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.";

    public static string VerdictName(string token) => token switch
    {
        "works" => "works",
        "works_with_warnings" => "works, with warnings",
        "broken" => "broken",
        "incomplete" => "test did not finish",
        _ => Other,
    };

    public static string DelegationName(string kind) => kind switch
    {
        "well-known" => ".well-known delegation",
        "srv" => "SRV record (_matrix-fed._tcp)",
        "deprecated-srv" => "deprecated SRV record (_matrix._tcp)",
        "direct" => "no delegation: the name itself",
        "none" => "no address found",
        _ => Other,
    };

    public static string IPv6Name(string state) => state switch
    {
        "works" => "works",
        "broken" => "broken",
        "none" => "no IPv6 address",
        _ => "not checked",
    };

    public static string IssuerName(string value) => value switch
    {
        "untrusted" => "not trusted (self-signed or unknown authority)",
        "unnamed" => "no organisation in the name",
        _ => value,
    };
}
