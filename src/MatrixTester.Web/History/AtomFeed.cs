using System.Text;
using System.Xml;
using System.Xml.Linq;
using MatrixTester.Web.Permalinks;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.History;

/// <summary>
/// The Atom 1.0 feed (RFC 4287) of one server name's verdict changes: an entry for the first stored result and for
/// every result whose verdict differs from the one before it, newest first, each listing what changed.
/// </summary>
public sealed class AtomFeed(IResultStore store, IOptions<HistoryOptions> options)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public async Task<string> BuildAsync(string serverName, string baseUrl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = (await store.RecentAsync(serverName, options.Value.Limit, cancellationToken)).OrderBy(r => r.CreatedAt).ToArray();
        var changes = results.Select((r, i) => (Result: r, Previous: i == 0 ? null : results[i - 1]))
            .Where(p => p.Previous is null || p.Previous.Verdict != p.Result.Verdict)
            .Reverse().Take(options.Value.FeedEntries).ToArray();
        var page = $"{baseUrl}/s/{Uri.EscapeDataString(serverName)}";
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", page),
            new XElement(Atom + "title", $"Federation verdict changes for {serverName}"),
            new XElement(Atom + "subtitle", $"MatrixTester results for {serverName} whose verdict differs from the result before."),
            new XElement(Atom + "updated", Stamp(changes.Length > 0 ? changes[0].Result.CreatedAt : now)),
            new XElement(Atom + "author", new XElement(Atom + "name", "MatrixTester")),
            new XElement(Atom + "generator", "MatrixTester"),
            Link("self", $"{page}.atom", "application/atom+xml"),
            Link("alternate", page, "text/html"));
        foreach (var (result, previous) in changes)
        {
            feed.Add(await EntryAsync(result, previous, baseUrl, cancellationToken));
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Declaration + "\n" + feed.ToString(SaveOptions.DisableFormatting);
    }

    private async Task<XElement> EntryAsync(ResultSummary result, ResultSummary? previous, string baseUrl, CancellationToken cancellationToken)
    {
        var permalink = $"{baseUrl}/r/{result.Id}";
        var title = previous is null
            ? $"{result.ServerName}: {VerdictTimeline.Words(result.Verdict)} (earliest stored result)"
            : $"{result.ServerName}: {VerdictTimeline.Words(previous.Verdict)} → {VerdictTimeline.Words(result.Verdict)}";
        var lines = new List<string> { result.Summary };
        if (previous is not null)
        {
            lines.AddRange(await ChangesAsync(previous.Id, result.Id, cancellationToken));
        }
        var html = new StringBuilder("<ul>");
        foreach (var line in lines)
        {
            html.Append("<li>").Append(System.Net.WebUtility.HtmlEncode(line)).Append("</li>");
        }
        html.Append("</ul>");
        var entry = new XElement(Atom + "entry",
            new XElement(Atom + "id", permalink),
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

    /// <summary>The one-line changes between two stored results; none when either is gone or unreadable.</summary>
    private async Task<IEnumerable<string>> ChangesAsync(string olderId, string newerId, CancellationToken cancellationToken)
    {
        var older = await store.GetAsync(olderId, cancellationToken);
        var newer = await store.GetAsync(newerId, cancellationToken);
        return older is not null && newer is not null && ReportDiff.Read(older.Json) is { } before && ReportDiff.Read(newer.Json) is { } after
            ? ReportDiff.Compare(before, after).Where(c => c is not VerdictChange).Select(c => c.Description)
            : [];
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
