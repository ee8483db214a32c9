using System.Text;
using System.Xml;
using System.Xml.Linq;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.History;

/// <summary>
/// The Atom 1.0 feed (RFC 4287) of one server name's verdict changes: an entry for the first stored result and for
/// every result whose verdict differs from the one before it, newest first, each listing what changed. Links are
/// absolute only with <c>Site:PublicUrl</c>, else relative to the site root (RFC 4287 allows relative references;
/// readers resolve them against the feed's own address), never built from the request. Reading is bounded: the
/// verdicts come from the list columns, and at most two stored reports per entry are parsed, each within the report
/// ceiling and once per build.
/// </summary>
public sealed class AtomFeed(IResultStore store, UptimeStore uptime, StoredReports reports, IOptions<HistoryOptions> options)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public async Task<string> BuildAsync(string serverName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.BaseUrl;
        var results = (await store.RecentAsync(serverName, options.Value.Limit, cancellationToken)).OrderBy(r => r.CreatedAt).ToArray();
        var changes = results.Select((r, i) => (Result: r, Previous: i == 0 ? null : results[i - 1]))
            .Where(p => p.Previous is null || VerdictTimeline.State(p.Previous) != VerdictTimeline.State(p.Result))
            .Reverse().Take(options.Value.FeedEntries).ToArray();
        var page = $"{baseUrl}/s/{Uri.EscapeDataString(serverName)}";
        var parsed = new Dictionary<string, Diagnostics.Reports.DiagnosisReport?>(StringComparer.Ordinal);
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", Id(baseUrl, page, $"feed:{serverName}")),
            new XElement(Atom + "title", SiteText.Format("feed.title", serverName)),
            new XElement(Atom + "subtitle", await SubtitleAsync(serverName, now, cancellationToken)),
            new XElement(Atom + "updated", Stamp(changes.Length > 0 ? changes[0].Result.CreatedAt : now)),
            new XElement(Atom + "author", new XElement(Atom + "name", "MatrixTester")),
            new XElement(Atom + "generator", "MatrixTester"),
            Link("self", $"{page}.atom", "application/atom+xml"),
            Link("alternate", page, "text/html"));
        foreach (var (result, previous) in changes)
        {
            feed.Add(await EntryAsync(result, previous, baseUrl, parsed, cancellationToken));
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Declaration + "\n" + feed.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>What the feed is, and for a watched name its uptime (the feed's entries are only the changes).</summary>
    private async Task<string> SubtitleAsync(string serverName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var subtitle = UptimeWords.FeedSubtitle(serverName);
        var figures = await uptime.UptimeAsync(serverName, now, cancellationToken);
        return figures.Any ? $"{subtitle} {UptimeWords.Sentence(figures)}" : subtitle;
    }

    private async Task<XElement> EntryAsync(ResultSummary result, ResultSummary? previous, string baseUrl,
        Dictionary<string, Diagnostics.Reports.DiagnosisReport?> parsed, CancellationToken cancellationToken)
    {
        var permalink = $"{baseUrl}/r/{result.Id}";
        var title = previous is null
            ? SiteText.Format("feed.entry.earliest", result.ServerName, VerdictWords.Word(VerdictTimeline.State(result)))
            : $"{result.ServerName}: {VerdictWords.Word(VerdictTimeline.State(previous))} → {VerdictWords.Word(VerdictTimeline.State(result))}";
        var lines = new List<string> { result.Summary };
        if (previous is not null)
        {
            lines.AddRange(await ChangesAsync(previous.Id, result.Id, parsed, cancellationToken));
        }
        var html = new StringBuilder("<ul>");
        foreach (var line in lines)
        {
            html.Append("<li>").Append(System.Net.WebUtility.HtmlEncode(line)).Append("</li>");
        }
        html.Append("</ul>");
        var entry = new XElement(Atom + "entry",
            new XElement(Atom + "id", Id(baseUrl, permalink, $"result:{result.Id}")),
            new XElement(Atom + "title", Clean(title)),
            new XElement(Atom + "updated", Stamp(result.CreatedAt)),
            Link("alternate", permalink, "text/html"),
            new XElement(Atom + "summary", Clean(result.Summary)),
            new XElement(Atom + "content", new XAttribute("type", "html"), Clean(html.ToString())));
        if (previous is not null)
        {
            entry.Add(Link("related", $"{permalink}?vs={previous.Id}", "text/html"));
        }
        return entry;
    }

    /// <summary>The one-line changes between two stored results; none when either is gone, too large or unreadable.</summary>
    private async Task<IEnumerable<string>> ChangesAsync(string olderId, string newerId,
        Dictionary<string, Diagnostics.Reports.DiagnosisReport?> parsed, CancellationToken cancellationToken)
    {
        async Task<Diagnostics.Reports.DiagnosisReport?> ReadAsync(string id)
        {
            if (!parsed.TryGetValue(id, out var report))
            {
                parsed[id] = report = await reports.ReadAsync(id, cancellationToken);
            }
            return report;
        }
        return await ReadAsync(olderId) is { } before && await ReadAsync(newerId) is { } after
            ? ReportDiff.Compare(before, after).Where(c => c is not VerdictChange).Select(c => c.Description)
            : [];
    }

    /// <summary>
    /// An entry's or the feed's atom:id, which must be an absolute IRI: the page's address with <c>Site:PublicUrl</c>;
    /// without it a name-based UUID (RFC 9562 version 8, from SHA-256), stable for the same feed or result.
    /// </summary>
    private static string Id(string baseUrl, string link, string name)
    {
        if (baseUrl.Length > 0)
        {
            return link;
        }
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("matrixtester:" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return $"urn:uuid:{new Guid(hash.AsSpan(0, 16), bigEndian: true)}";
    }

    private static XElement Link(string rel, string href, string type) =>
        new(Atom + "link", new XAttribute("rel", rel), new XAttribute("href", href), new XAttribute("type", type));

    private static string Stamp(DateTimeOffset when) => XmlConvert.ToString(when.ToUniversalTime().UtcDateTime, XmlDateTimeSerializationMode.Utc);

    /// <summary>Server-controlled text may hold characters XML 1.0 cannot carry at all; they are replaced, not escaped.</summary>
    internal static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        // EnumerateRunes already turns a lone surrogate into U+FFFD.
        foreach (var rune in text.EnumerateRunes())
        {
            clean.Append(rune.IsBmp && !XmlConvert.IsXmlChar((char)rune.Value) ? "\uFFFD" : rune.ToString());
        }
        return clean.ToString();
    }
}
