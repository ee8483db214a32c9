using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Docs;

/// <summary>
/// One rendered docs page, in <see cref="Language"/>. <see cref="Html"/> comes from our own markdown files, never from
/// user input.
/// </summary>
public sealed record DocPage(string Slug, string Title, int Order, string Summary, string Html, string Language = MatrixTester.Diagnostics.Languages.English);

/// <summary>
/// The docs: every <c>*.md</c> in the docs folder (English), and its translations in <c>docs/{language}/</c> under the
/// same file name, each rendered once with one Markdig pipeline and kept in memory. A visitor reads a page in their
/// language where it is translated, else in English (the page then says so). Pages are looked up by slug in a
/// dictionary built from file names, so a URL can never name a path.
/// </summary>
public sealed partial class DocsLibrary(IOptions<SiteOptions> options)
{
    private const string CatalogMarker = "<!-- findings-catalog -->";

    // One immutable, thread-safe pipeline. Advanced extensions include generic attributes ({#id}) and auto ids.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().UseYamlFrontMatter().Build();

    private readonly Lazy<FrozenDictionary<string, (FrozenDictionary<string, DocPage> BySlug, IReadOnlyList<DocPage> Ordered)>> _pages =
        new(() => MatrixTester.Diagnostics.Languages.Supported.ToFrozenDictionary(l => l, l => Load(options.Value.ResolvedDocsPath, l), StringComparer.Ordinal));

    /// <summary>The navigation order (front matter <c>order</c>, then title), each page in the visitor's language where it is translated.</summary>
    public IReadOnlyList<DocPage> Pages => English.Ordered.Select(p => Find(p.Slug)!).ToList();

    /// <summary>The page in the visitor's language where it is translated, else in English; null for an unknown slug.</summary>
    public DocPage? Find(string? slug) =>
        slug is null || !SlugPattern().IsMatch(slug) || !English.BySlug.TryGetValue(slug, out var english) ? null
        : _pages.Value.TryGetValue(VisitorLanguage, out var translated) && translated.BySlug.TryGetValue(slug, out var page) ? page
        : english;

    /// <summary>The slugs translated into <paramref name="language"/>.</summary>
    public IEnumerable<string> Translated(string language) =>
        _pages.Value.TryGetValue(language, out var pages) ? pages.BySlug.Keys : [];

    private (FrozenDictionary<string, DocPage> BySlug, IReadOnlyList<DocPage> Ordered) English => _pages.Value[MatrixTester.Diagnostics.Languages.English];

    private static string VisitorLanguage => System.Globalization.CultureInfo.CurrentUICulture.Name;

    [GeneratedRegex("^[a-z0-9-]+$")]
    public static partial Regex SlugPattern();

    private static (FrozenDictionary<string, DocPage>, IReadOnlyList<DocPage>) Load(string docs, string language)
    {
        var folder = language == MatrixTester.Diagnostics.Languages.English ? docs : Path.Combine(docs, language);
        var pages = !Directory.Exists(folder) ? [] : Directory.EnumerateFiles(folder, "*.md")
            .Select(path => (Slug: Path.GetFileNameWithoutExtension(path), Path: path))
            .Where(f => SlugPattern().IsMatch(f.Slug))
            // Rendered in its own language: the anchors' labels and the findings catalog are written from the resources.
            .Select(f => MatrixTester.Diagnostics.Languages.In(language, () => Render(f.Slug, File.ReadAllText(f.Path)) with { Language = language }))
            .ToList();
        var ordered = pages.OrderBy(p => p.Order).ThenBy(p => p.Title, StringComparer.Ordinal).ToArray();
        return (pages.ToFrozenDictionary(p => p.Slug, StringComparer.Ordinal), ordered);
    }

    internal static DocPage Render(string slug, string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var front = FrontMatter.Parse(document.Descendants<YamlFrontMatterBlock>().FirstOrDefault()?.Lines.ToString());
        foreach (var link in document.Descendants<LinkInline>())
        {
            link.Url = RewriteLink(link.Url);
        }
        foreach (var heading in document.Descendants<HeadingBlock>().Where(h => h.Level >= 2))
        {
            AddAnchor(heading);
        }
        var html = document.ToHtml(Pipeline);
        if (html.Contains(CatalogMarker, StringComparison.Ordinal))
        {
            html = html.Replace(CatalogMarker, FindingsTable.Html(), StringComparison.Ordinal);
        }
        // Code blocks and tables scroll sideways on a phone; keyboard users must be able to focus them to scroll (WCAG 2.1.1).
        html = ScrollableBlock().Replace(html, "<$1 tabindex=\"0\"");
        var title = front.GetValueOrDefault("title") ?? document.Descendants<HeadingBlock>().FirstOrDefault()?.Inline?.FirstChild?.ToString() ?? slug;
        var order = int.TryParse(front.GetValueOrDefault("order"), out var o) ? o : 1000;
        return new DocPage(slug, title, order, front.GetValueOrDefault("summary") ?? "", html);
    }

    [GeneratedRegex("<(pre|table)(?=[\\s>])")]
    private static partial Regex ScrollableBlock();

    /// <summary><c>page.md#anchor</c> → <c>/docs/page#anchor</c>; other links (absolute, #fragment) are left alone.</summary>
    internal static string? RewriteLink(string? url)
    {
        if (url is null || url.Contains("://", StringComparison.Ordinal) || url.StartsWith('/') || url.StartsWith('#'))
        {
            return url;
        }
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var file = hash < 0 ? url : url[..hash];
        var fragment = hash < 0 ? "" : url[hash..];
        if (file.StartsWith("./", StringComparison.Ordinal))
        {
            file = file[2..];
        }
        return file.EndsWith(".md", StringComparison.Ordinal) && SlugPattern().IsMatch(file[..^3]) ? $"/docs/{file[..^3]}{fragment}" : url;
    }

    /// <summary>A "#" link after each heading's text, so every section can be linked to (ids come from {#id} or auto ids).</summary>
    private static void AddAnchor(HeadingBlock heading)
    {
        var id = heading.GetAttributes().Id;
        if (string.IsNullOrEmpty(id) || heading.Inline is null)
        {
            return;
        }
        var link = new LinkInline($"#{id}", "");
        link.AppendChild(new LiteralInline("#"));
        var attributes = link.GetAttributes();
        attributes.AddClass("anchor");
        attributes.AddProperty("aria-label", SiteText.Get("docs.anchor"));
        heading.Inline.AppendChild(new LiteralInline(" "));
        heading.Inline.AppendChild(link);
    }
}

public static class DocsExtensions
{
    /// <summary>
    /// The library, and the output cache policy that serves docs pages from memory: they are the same for everyone
    /// until the next deploy. (The cache middleware runs before routing, so a cached page costs about a static file.)
    /// </summary>
    public static IServiceCollection AddDocs(this IServiceCollection services)
    {
        services.AddSingleton<DocsLibrary>();
        services.Configure<Microsoft.AspNetCore.OutputCaching.OutputCacheOptions>(options =>
        {
            options.UseCaseSensitivePaths = true; // slugs are lower-case only; /docs/Overview stays a 404
            options.AddBasePolicy(policy => policy.With(c => c.HttpContext.Request.Path.StartsWithSegments("/docs")).Expire(TimeSpan.FromMinutes(10))
                // One copy per language: the page, its navigation and its notes are in the visitor's.
                .VaryByValue(_ => new KeyValuePair<string, string>("lang", System.Globalization.CultureInfo.CurrentUICulture.Name)));
        });
        return services;
    }
}
