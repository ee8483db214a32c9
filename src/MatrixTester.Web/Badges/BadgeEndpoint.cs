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
            .WithSummary("A status badge (SVG) from the latest stored result of a server name, or with style=uptime (and days=7, 30 or 90) the share of its scheduled checks that worked; never starts a diagnosis.");
        return app;
    }

    private static async Task<IResult> BadgeAsync(string name, string? style, int? days, ServerNameInput input, IResultStore store, UptimeStore uptime,
        TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (input.Problem(name) is not null || !ServerName.TryParse(name, out var parsed, out _))
        {
            return TypedResults.NotFound();
        }
        string svg;
        if (style == "uptime")
        {
            // ?style=uptime&days=7|30|90 (30 by default): the share of scheduled checks that worked.
            var window = days ?? 30;
            if (!Uptime.Days.Contains(window))
            {
                return TypedResults.NotFound();
            }
            svg = BadgeSvg.RenderUptime(parsed.Text, (await uptime.UptimeAsync(parsed.Text, time.GetUtcNow(), cancellationToken)).Window(window));
        }
        else
        {
            var recent = await store.RecentAsync(parsed.Text, 1, cancellationToken);
            svg = BadgeSvg.Render(parsed.Text, recent.Count > 0 ? recent[0] : null);
        }
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
