using System.Security.Cryptography;
using System.Text;
using MatrixTester.Diagnostics;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Badges;

/// <summary>
/// <c>/badge/{server_name}.svg</c>: the verdict of the latest stored result as a badge for READMEs and status pages.
/// It only reads the store and never starts a diagnosis, so embedding it anywhere costs one indexed query; it is
/// cacheable for a few minutes and revalidates with an ETag.
/// </summary>
public static class BadgeEndpoint
{
    public static IEndpointRouteBuilder MapBadge(this IEndpointRouteBuilder app)
    {
        // HEAD too: link checkers and README renderers ask with HEAD before they fetch an image.
        app.MapMethods("/badge/{name}.svg", [HttpMethods.Get, HttpMethods.Head], BadgeAsync).WithTags("monitoring")
            .WithSummary("A status badge (SVG) from the latest stored result of a server name; never starts a diagnosis.");
        return app;
    }

    private static async Task<IResult> BadgeAsync(string name, ServerNameInput input, IResultStore store, HttpContext context, CancellationToken cancellationToken)
    {
        if (input.Problem(name) is not null || !ServerName.TryParse(name, out var parsed, out _))
        {
            return TypedResults.NotFound();
        }
        var recent = await store.RecentAsync(parsed.Text, 1, cancellationToken);
        var latest = recent.Count > 0 ? recent[0] : null;
        var svg = BadgeSvg.Render(parsed.Text, latest);
        var etag = $"\"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(svg)), 0, 16)}\"";
        var headers = context.Response.Headers;
        headers.ETag = etag;
        // Short: a badge should follow a new result within minutes, and revalidating costs only the query above.
        headers.CacheControl = "public, max-age=300";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // The headers a GET would get, without the body.
            context.Response.ContentType = "image/svg+xml; charset=utf-8";
            context.Response.ContentLength = Encoding.UTF8.GetByteCount(svg);
            return TypedResults.Empty;
        }
        return TypedResults.Text(svg, "image/svg+xml; charset=utf-8");
    }
}
