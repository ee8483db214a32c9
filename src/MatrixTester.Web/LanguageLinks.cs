using System.Globalization;
using MatrixTester.Diagnostics;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web;

/// <summary>The language switch: the page the visitor is on, with <c>?lang=</c> set to each language the site offers.</summary>
public static class LanguageLinks
{
    public const string QueryKey = "lang";

    /// <summary>The current language as an HTML <c>lang</c> value.</summary>
    public static string Current => CultureInfo.CurrentUICulture.Name is { Length: > 0 } name ? name : Languages.English;

    public static IReadOnlyList<(string Language, string Name, string Href, bool Current)> For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = request.HttpContext.RequestServices.GetRequiredService<IOptions<SiteOptions>>().Value;
        var offered = site.PseudoLocale ? [.. Languages.Supported, Languages.Pseudo] : Languages.Supported;
        return offered.Select(l => (l, Languages.NativeName(l), Href(request, l), string.Equals(l, Current, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>
    /// The page asked for with <c>lang</c> set: for an error page shown in place of another (a 404, a refusal), the
    /// address the visitor asked for, not the error page's own.
    /// </summary>
    private static string Href(HttpRequest request, string language)
    {
        var original = request.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>();
        var (pathBase, path, queryString) = original is null
            ? (request.PathBase.Value, request.Path.Value, request.QueryString.Value)
            : (original.OriginalPathBase, original.OriginalPath, original.OriginalQueryString);
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        var query = new QueryBuilder(parameters.Where(q => q.Key != QueryKey)) { { QueryKey, language } };
        return pathBase + path + query.ToQueryString();
    }
}
