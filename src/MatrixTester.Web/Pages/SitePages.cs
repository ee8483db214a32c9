namespace MatrixTester.Web.Pages;

public static class SitePages
{
    /// <summary>Razor Pages. Every form is a GET that changes nothing, so there is no antiforgery token to check.</summary>
    public static IServiceCollection AddSitePages(this IServiceCollection services)
    {
        services.AddRazorPages(options => options.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryTokenAttribute()))
            // IHtmlLocalizer for the few strings that carry a link: the resource is markup, its arguments are encoded.
            .AddViewLocalization();
        // A method a page does not serve gets 405 before any page code runs.
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(options => options.Filters.Add(new MethodNotAllowedFilter()));
        return services;
    }
}
