using System.ComponentModel.DataAnnotations;

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
    /// <c>Site:PublicUrl</c>, copied in at start, for the absolute links an Atom feed needs. Null: taken from each
    /// request, which is wrong behind a TLS-terminating proxy that forwards plain HTTP.
    /// </summary>
    internal Uri? PublicUrl { get; set; }

    /// <summary>The base for absolute links, without a trailing slash.</summary>
    public string BaseUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PublicUrl is { } url ? url.AbsoluteUri.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
