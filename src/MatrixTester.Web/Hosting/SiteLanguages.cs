using System.Globalization;
using MatrixTester.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Hosting;

/// <summary>
/// The language of every page, notice and mail, chosen the ASP.NET Core way: <c>?lang=</c> (which the language switch
/// links to, and which a cookie then remembers), the cookie, then <c>Accept-Language</c>; English otherwise. Only the
/// UI culture changes: numbers and dates keep one invariant form on every page, so a reader can compare them.
/// </summary>
public static class SiteLanguages
{
    public static IServiceCollection AddSiteLanguages(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        services.AddSingleton<IStringLocalizerFactory, MarkedLocalizerFactory>();
        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<SiteOptions>>((options, site) =>
        {
            var languages = Offered(site.Value).Select(Languages.Culture).ToList();
            options.DefaultRequestCulture = new RequestCulture(CultureInfo.GetCultureInfo(Languages.English));
            options.SupportedCultures = [CultureInfo.GetCultureInfo(Languages.English)];
            options.SupportedUICultures = languages;
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = LanguageLinks.QueryKey, UIQueryStringKey = LanguageLinks.QueryKey },
                new CookieRequestCultureProvider(),
                new PrimaryLanguageProvider(),
            ];
        });
        return services;
    }

    /// <summary>The languages this site offers: English, German and, where a setting enables it, the pseudo-locale.</summary>
    public static IReadOnlyList<string> Offered(SiteOptions site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return site.PseudoLocale ? [.. Languages.Supported, Languages.Pseudo] : Languages.Supported;
    }

    /// <summary>Sets the culture of each request; a <c>?lang=</c> the site speaks is remembered in a cookie.</summary>
    public static IApplicationBuilder UseSiteLanguages(this IApplicationBuilder app)
    {
        app.UseRequestLocalization();
        return app.Use((context, next) =>
        {
            var language = CultureInfo.CurrentUICulture.Name;
            context.Response.Headers.ContentLanguage = language;
            if (context.Request.Query.TryGetValue(LanguageLinks.QueryKey, out var asked) && string.Equals(asked, language, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Languages.English, language)),
                    new CookieOptions
                    {
                        MaxAge = TimeSpan.FromDays(365),
                        HttpOnly = true,
                        IsEssential = true,
                        SameSite = SameSiteMode.Lax,
                        Secure = context.Request.IsHttps,
                    });
            }
            return next(context);
        });
    }

    /// <summary>
    /// Accept-Language by its primary subtag, best quality first: "de-AT" and "de-CH" read German. Culture parents are
    /// not available to us (invariant globalization), so the region is dropped here rather than by the middleware.
    /// </summary>
    private sealed class PrimaryLanguageProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var offered = httpContext.RequestServices.GetRequiredService<IOptions<SiteOptions>>().Value;
            var languages = httpContext.Request.GetTypedHeaders().AcceptLanguage
                .Where(l => l.Quality is not <= 0)
                .OrderByDescending(l => l.Quality ?? 1)
                .Select(l => Languages.Match(l.Value.Value, offered.PseudoLocale))
                .FirstOrDefault(l => l is not null);
            return Task.FromResult(languages is null ? null : new ProviderCultureResult(Languages.English, languages));
        }
    }
}
