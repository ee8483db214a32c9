using MatrixTester.Web.History;
using MatrixTester.Web.ReportViews;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Exports;

/// <summary>
/// <c>/r/{id}.md</c>: a stored result as Markdown for a support room (<see cref="ReportMarkdown"/>). It reads the
/// stored report within the report ceiling, like the permalink page, and is as cheap: no rate limit. Links are
/// absolute: the site's configured address, else the address this request came to (then only this client may cache
/// the answer, since another Host header would give other links).
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        // A literal suffix makes this route more specific than the page's /r/{id}.
        app.MapMethods("/r/{id}.md", [HttpMethods.Get, HttpMethods.Head], MarkdownAsync).WithTags("results")
            .WithSummary("A stored result as Markdown for a support room (Element, GitHub).")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> MarkdownAsync(string id, StoredReports reports, IOptions<SiteOptions> site, HttpContext context, CancellationToken cancellationToken)
    {
        if (await reports.GetAsync(id, cancellationToken) is not { TooLarge: false } stored || ReportView.From(stored) is not { } view)
        {
            return TypedResults.NotFound();
        }
        var configured = site.Value.PublicUrl;
        var origin = configured is not null
            ? configured.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host.ToUriComponent()}";
        // A stored result never changes; its Markdown only when the site's words do. It is worded in the reader's
        // language: a shared cache may keep it only when the address names that language (?lang=, as the button's does).
        var shared = configured is not null && context.Request.Query.ContainsKey("lang");
        context.Response.Headers.CacheControl = shared ? "public, max-age=3600" : "private, max-age=3600";
        // Plain text, not text/markdown: a browser shows it (to select and copy) instead of downloading it.
        return TypedResults.Text(ReportMarkdown.Render(view, origin), "text/plain; charset=utf-8");
    }
}
