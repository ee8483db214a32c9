using System.ComponentModel.DataAnnotations;

namespace MatrixTester.Web;

/// <summary>Where the site's files are and how much input it accepts (configuration section <c>Site</c>).</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    /// <summary>Static assets. Empty: <c>wwwroot/</c> next to the app (the build and publish output both carry a copy).</summary>
    public string WebRoot { get; set; } = "";

    /// <summary>The markdown docs. Empty: <c>docs/</c> next to the app.</summary>
    public string DocsPath { get; set; } = "";

    /// <summary>Longest accepted <c>server_name</c>; longer input gets a 400 before any work is done.</summary>
    [Range(16, 8192)]
    public int MaxInputLength { get; set; } = 1024;

    /// <summary>
    /// The site's public address (e.g. https://tester.example.org/). Sent in the engine's User-Agent so admins can see
    /// who probes their server; null: no link in the User-Agent.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>
    /// Offer the pseudo-locale <c>qps-ploc</c> (every resource string wrapped in <c>[!! … !!]</c>): for checking that no
    /// text bypasses the translations. Never on a public site.
    /// </summary>
    public bool PseudoLocale { get; set; }

    public string ResolvedWebRoot => Resolve(WebRoot, "wwwroot");

    public string ResolvedDocsPath => Resolve(DocsPath, "docs");

    private static string Resolve(string configured, string folder) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(AppContext.BaseDirectory, folder) : configured);
}
