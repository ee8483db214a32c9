using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Hosting;

public static class SiteRoots
{
    /// <summary>The <c>Site</c> settings (validated at start) and the real clock, which everything else takes from here.</summary>
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
        var site = app.Services.GetRequiredService<IOptions<SiteOptions>>().Value;
        app.Environment.WebRootPath = site.ResolvedWebRoot;
        app.Environment.WebRootFileProvider = new PhysicalFileProvider(site.ResolvedWebRoot);
        return app;
    }
}
