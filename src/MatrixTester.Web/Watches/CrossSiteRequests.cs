using MatrixTester.Web.Diagnoses;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Watches;

/// <summary>
/// The requests that act on watches (create one, confirm, unsubscribe) must not come from a browser on behalf of
/// another site: a foreign page could otherwise make its visitors create watches, each from the visitor's own address
/// and rate-limit bucket. Browsers say where a request comes from: <c>Sec-Fetch-Site</c> (every current browser)
/// decides when present, else <c>Origin</c> (which the site's <c>Referrer-Policy: same-origin</c> leaves intact on its
/// own forms). A request with neither is not from a browser page — a script, or a mail client's one-click
/// unsubscribe (RFC 8058) — and is served; the API also needs a JSON body, which no cross-site form can send and no
/// cross-site script may send without a CORS permission this site never gives.
/// </summary>
public static class CrossSiteRequests
{
    public const string Refusal = "This request came from another site's page. Use the form on this site, or call the API from a script.";

    /// <summary>True when a browser sent <paramref name="request"/> for a page of another site.</summary>
    public static bool IsCrossSite(HttpRequest request, Uri? publicUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            // "none": typed or bookmarked by the user; "same-site" is refused too (a sibling subdomain is another party).
            return site is not ("same-origin" or "none");
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;
        }
        // "null" (a sandboxed frame, a data: page) or anything unparsable is nobody we know.
        return !Uri.TryCreate(origin, UriKind.Absolute, out var from)
            || !(Same(from, request.Host.Value) || (publicUrl is not null && Same(from, publicUrl.Authority)));
    }

    // The authority only: behind a proxy that terminates TLS the site sees http while the browser says https.
    private static bool Same(Uri origin, string? authority) =>
        authority is not null && string.Equals(origin.Authority, authority, StringComparison.OrdinalIgnoreCase);

    /// <summary>For minimal-API endpoints that act: a 403 problem for a cross-site browser request.</summary>
    public static TBuilder RefuseCrossSite<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var site = context.HttpContext.RequestServices.GetRequiredService<IOptions<SiteOptions>>().Value;
            return IsCrossSite(context.HttpContext.Request, site.PublicUrl)
                ? TypedResults.Problem(Refusal, statusCode: StatusCodes.Status403Forbidden, title: "Refused: sent from another site")
                : await next(context);
        });
}

/// <summary>On a page model: its POST handlers refuse cross-site browser requests with 403 (<see cref="CrossSiteRequests"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RefuseCrossSiteAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.HttpContext.Request;
        var site = context.HttpContext.RequestServices.GetRequiredService<IOptions<SiteOptions>>().Value;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && CrossSiteRequests.IsCrossSite(request, site.PublicUrl))
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/plain; charset=utf-8", Content = CrossSiteRequests.Refusal };
            return;
        }
        await next();
    }
}
