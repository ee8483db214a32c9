using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace MatrixTester.Web.Refusals;

/// <summary>
/// What the site says when it turns a request away: the status (400, 429 or 503), a title and a sentence, ours only
/// (no request data in them), and for 429 and 503 when trying again makes sense.
/// </summary>
public sealed record RefusalAnswer(int Status, string Title, string Text, TimeSpan? RetryAfter = null)
{
    /// <summary>The input cannot be tested: <paramref name="problem"/> says why (it is the whole body of a text answer).</summary>
    public static RefusalAnswer Invalid(string problem) =>
        new(StatusCodes.Status400BadRequest, SiteText.Get("refusal.invalid.title"), problem);

    /// <summary>The database that keeps results is not answering (the data is not gone).</summary>
    public static RefusalAnswer StoreOutage(TimeSpan retryAfter) => new(StatusCodes.Status503ServiceUnavailable,
        SiteText.Get("refusal.store.title"), SiteText.Get("refusal.store.text"),
        retryAfter);

    /// <summary>"Please try again in 15 seconds." (minutes from two minutes on), or null when there is no wait.</summary>
    public string? TryAgain => RetryAfter switch
    {
        null => null,
        { TotalSeconds: >= 120 } wait => SiteText.Format("refusal.retry.minutes", Math.Ceiling(wait.TotalMinutes)),
        { } wait => SiteText.Format("refusal.retry.seconds", DiagnosisRateLimit.Seconds(wait)),
    };

    /// <summary>
    /// The refusal the error page shows for this request: one a page handler or the rate limiter left for it
    /// (<see cref="AnswerStyle.Page"/>), or a store outage the request failed on.
    /// </summary>
    public static RefusalAnswer? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<RefusalAnswer>()
            ?? (context.Features.Get<IExceptionHandlerFeature>()?.Error is StoreUnavailableException outage ? StoreOutage(outage.RetryAfter) : null);
    }
}

/// <summary>How an answer is written, by who asks.</summary>
public enum AnswerStyle
{
    /// <summary>One line of text (the compatible API, /probe, federation endpoints, feeds).</summary>
    Text,

    /// <summary>RFC 9457 problem details (our JSON API, /api/v2).</summary>
    Problem,

    /// <summary>The site's error page, with its header (people in a browser).</summary>
    Page,
}

public static class AnswerStyles
{
    /// <summary>
    /// The style for a request whose endpoint does not say (the rate limiter's and the store outage's answers):
    /// problem details under /api/v2, text for other programs (and for browsers that do not ask for HTML), else a page.
    /// </summary>
    public static AnswerStyle For(HttpRequest request) => For(request, request?.Path ?? default);

    /// <inheritdoc cref="For(HttpRequest)"/>
    /// <param name="path">The path asked for (the exception handler has already pointed the request at /error).</param>
    public static AnswerStyle For(HttpRequest request, PathString path)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (path.StartsWithSegments("/api/v2", StringComparison.OrdinalIgnoreCase))
        {
            return AnswerStyle.Problem;
        }
        var program = path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/probe", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_matrix", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/.well-known", StringComparison.OrdinalIgnoreCase)
            || path.Value?.EndsWith(".atom", StringComparison.Ordinal) == true;
        var accept = request.Headers.Accept.ToString();
        var wantsHtml = accept.Length == 0 || accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal);
        return !program && wantsHtml ? AnswerStyle.Page : AnswerStyle.Text;
    }
}
