using System.Globalization;

namespace MatrixTester.Web.Statistics;

/// <summary>The statistics page's words in the reader's language (<c>stats.*</c> in the site's resources): titles, value names, sentences.</summary>
public static class StatisticsWords
{
    /// <summary>The value issuers few servers use are counted under; named with <see cref="IssuerName"/>.</summary>
    public const string OtherToken = "other";

    public static string Title => SiteText.Get("stats.title");
    public static string Disabled => SiteText.Get("stats.disabled");
    public static string NoResults => SiteText.Get("stats.no_results");
    public static string WhatIsCounted => SiteText.Get("stats.what_is_counted");
    public static string Verdicts => SiteText.Get("stats.chart.verdicts");
    public static string Delegation => SiteText.Get("stats.chart.delegation");
    public static string IPv6 => SiteText.Get("stats.chart.ipv6");
    public static string Software => SiteText.Get("stats.chart.software");
    public static string Versions => SiteText.Get("stats.chart.versions");
    public static string Tls => SiteText.Get("stats.chart.tls");
    public static string TlsNote => SiteText.Get("stats.chart.tls.note");
    public static string Issuers => SiteText.Get("stats.chart.issuers");
    public static string Findings => SiteText.Get("stats.chart.findings");
    public static string AsTable => SiteText.Get("stats.as_table");
    public static string Value => SiteText.Get("stats.column.value");
    public static string Servers => SiteText.Get("stats.column.servers");
    public static string Share => SiteText.Get("stats.column.share");
    public static string Other => SiteText.Get("stats.other");
    public static string NoneFound => SiteText.Get("stats.none_found");

    public static string Lede(int servers, int days) => SiteText.Format("stats.lede", Count(servers), days);

    public static string Chart(string title, int servers) => SiteText.Format("stats.chart.alt", title, Count(servers));

    public static string Percent(int part, int whole) => whole == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.#} %");

    public static string Count(int servers) => SiteText.Format(servers == 1 ? "stats.count.one" : "stats.count.other", servers);

    public static string Works(int working, int decided) => SiteText.Format("stats.works", Percent(working, decided), working, decided);

    public static string IPv6Share(int withAddress, int servers, int working) => withAddress == 0
        ? SiteText.Format("stats.ipv6.none", Percent(0, servers), servers)
        : SiteText.Format("stats.ipv6.some", Percent(withAddress, servers), withAddress, servers, Percent(working, withAddress), working);

    public static string IssuersNote(int minimum) => SiteText.Format("stats.chart.issuers.note", minimum, Other);

    public static string Cached(DateTimeOffset at) => SiteText.Format("stats.counted", at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));

    public static string VerdictName(string token) => token switch
    {
        "works" or "works_with_warnings" or "broken" or "incomplete" => SiteText.Get($"stats.verdict.{token}"),
        _ => Other,
    };

    public static string DelegationName(string kind) => kind switch
    {
        "well-known" or "srv" or "deprecated-srv" or "direct" or "none" => SiteText.Get($"stats.delegation.{kind.Replace('-', '_')}"),
        _ => Other,
    };

    public static string IPv6Name(string state) => state switch
    {
        "works" => SiteText.Get("stats.ipv6.works"),
        "broken" => SiteText.Get("stats.ipv6.broken"),
        "none" => SiteText.Get("stats.ipv6.no_address"),
        _ => SiteText.Get("stats.ipv6.not_checked"),
    };

    public static string IssuerName(string value) => value switch
    {
        "untrusted" => SiteText.Get("stats.issuer.untrusted"),
        "unnamed" => SiteText.Get("stats.issuer.unnamed"),
        OtherToken => Other,
        _ => value,
    };
}
