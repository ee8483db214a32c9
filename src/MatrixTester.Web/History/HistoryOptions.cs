using System.ComponentModel.DataAnnotations;
using MatrixTester.Web.Abuse;

namespace MatrixTester.Web.History;

/// <summary>Configuration section <c>History</c>: how far back the verdict picture, the Atom feed and comparisons look.</summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>
    /// Results of one server name read for the verdict picture on <c>/s/{server_name}</c>, its Atom feed and "compare
    /// with the previous result" (newest first). Larger than <c>Storage:RecentLimit</c>, which only sizes the table.
    /// </summary>
    [Range(2, 5000)]
    public int Limit { get; set; } = 200;

    /// <summary>Entries (verdict changes) in a server name's Atom feed, newest first.</summary>
    [Range(1, 200)]
    public int FeedEntries { get; set; } = 20;

    /// <summary>
    /// Per client address token bucket on the feed and on comparisons (<c>/r/{id}?vs=</c>): each uncached one reads
    /// and parses stored reports. Its own bucket, apart from the diagnosis limit; cached answers cost nothing.
    /// </summary>
    public Abuse.RateLimitOptions RateLimit { get; set; } = new() { TokenLimit = 30, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(2) };

    /// <summary>
    /// <c>Site:PublicUrl</c>, copied in at start: the only source of absolute links in a feed. Never the request's
    /// Host header, which anyone can set (and which is wrong behind a TLS-terminating proxy).
    /// </summary>
    internal Uri? PublicUrl { get; set; }

    /// <summary>The base for links, without a trailing slash: <c>Site:PublicUrl</c>, or "" (links relative to the site root).</summary>
    public string BaseUrl => PublicUrl is { } url ? url.AbsoluteUri.TrimEnd('/') : "";
}
