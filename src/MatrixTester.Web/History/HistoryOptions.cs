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
    /// The site's public address (<c>https://tester.example.org</c>) for the absolute links an Atom feed needs. Empty:
    /// taken from each request, which is wrong behind a TLS-terminating proxy that forwards plain HTTP.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    internal bool BaseUrlIsValid() => PublicBaseUrl.Length == 0
        || (Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0 && uri.Fragment.Length == 0);

    /// <summary>The base for absolute links, without a trailing slash.</summary>
    public string BaseUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PublicBaseUrl.Length > 0 ? PublicBaseUrl.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
