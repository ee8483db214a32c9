using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.FileProviders;

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

    public string ResolvedWebRoot => Resolve(WebRoot, "wwwroot");

    public string ResolvedDocsPath => Resolve(DocsPath, "docs");

    private static string Resolve(string configured, string folder) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(AppContext.BaseDirectory, folder) : configured);
}

public static class SiteOptionsExtensions
{
    public static IServiceCollection AddSiteOptions(this IServiceCollection services)
    {
        services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.Section).ValidateDataAnnotations()
            .Validate(o => Directory.Exists(o.ResolvedWebRoot), "Site:WebRoot must name an existing directory (the site's wwwroot).")
            .Validate(o => Directory.Exists(o.ResolvedDocsPath), "Site:DocsPath must name an existing directory of markdown pages.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Points the web root at the configured folder. WebApplicationBuilder fixes its web root before configuration is
    /// read, so the environment is updated here instead (UseStaticFiles and asp-append-version read it).
    /// </summary>
    public static WebApplication UseSiteRoots(this WebApplication app)
    {
        var site = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SiteOptions>>().Value;
        app.Environment.WebRootPath = site.ResolvedWebRoot;
        app.Environment.WebRootFileProvider = new PhysicalFileProvider(site.ResolvedWebRoot);
        return app;
    }
}
