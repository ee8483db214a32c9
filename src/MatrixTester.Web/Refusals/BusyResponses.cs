using System.Net;
using MatrixTester.Web.Diagnoses;

namespace MatrixTester.Web.Refusals;

/// <summary>
/// The 429 and 503 answers: Retry-After always; a short page for people, one line of text for API clients. The
/// text is ours (no request data in it), and the page uses only the site's stylesheet, so the CSP holds.
/// </summary>
public static class BusyResponses
{
    internal static async ValueTask WriteAsync(HttpContext context, int status, TimeSpan retryAfter, string title, string why, CancellationToken cancellationToken)
    {
        var seconds = DiagnosisRateLimit.Seconds(retryAfter);
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.RetryAfter = seconds;
        response.Headers.CacheControl = "no-store";
        var retry = $"Please try again in {seconds} seconds.";
        if (WantsHtml(context.Request))
        {
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync($$"""
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{{WebUtility.HtmlEncode(title)}} · MatrixTester</title><link rel="stylesheet" href="/css/site.css"></head>
                <body><main id="main" class="wrap busy-page">
                <h1>{{WebUtility.HtmlEncode(title)}}</h1>
                <p>{{WebUtility.HtmlEncode(why)}}</p>
                <p class="retry-after"><strong>{{WebUtility.HtmlEncode(ForPeople(retryAfter))}}</strong></p>
                <p><a href="/">Back to the tester</a> · <a href="/docs">Documentation</a></p>
                </main></body></html>
                """, cancellationToken);
        }
        else
        {
            // The compatible API's CORS header, so browser UIs built on it can read the message.
            response.Headers.AccessControlAllowOrigin = "*";
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"{title}. {retry}\n", cancellationToken);
        }
    }

    private static string ForPeople(TimeSpan wait) => wait.TotalSeconds >= 120
        ? $"Please try again in {Math.Ceiling(wait.TotalMinutes):0} minutes."
        : $"Please try again in {DiagnosisRateLimit.Seconds(wait)} seconds.";

    private static bool WantsHtml(HttpRequest request) =>
        !(request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments("/probe", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments("/_matrix", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments("/.well-known", StringComparison.OrdinalIgnoreCase))
        && (request.Headers.Accept.Count == 0 || request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
            || request.Headers.Accept.ToString().Contains("*/*", StringComparison.Ordinal));
}
