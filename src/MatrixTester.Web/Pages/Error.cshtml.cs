using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Refusals;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Pages;

/// <summary>
/// Status code pages (404 and friends) and the exception handler's page: plain words, no stack traces. A request the
/// site turned away (rate limit, busy, store outage) gets its answer here, in the site's layout.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(IOptions<StorageOptions> storage) : PageModel
{
    public int Status { get; private set; }

    /// <summary>Why the site turned this request away, when it did (see <see cref="RefusalAnswer.Of"/>).</summary>
    public RefusalAnswer? Refusal { get; private set; }

    /// <summary>How long a result's link works, in words: stored results are deleted after the retention period.</summary>
    public string Retention => storage.Value.RetentionDays switch
    {
        0 => SiteText.Get("error.retention.forever"),
        1 => SiteText.Get("error.retention.day"),
        var days => SiteText.Format("error.retention.days", days),
    };

    public void OnGet(int? status) => Status = Refusal?.Status ?? status ?? StatusCodes.Status500InternalServerError;

    /// <summary>
    /// Re-executed for a request of another method (a POST that got 404 or 405) no handler runs: the status is the
    /// one the response already has.
    /// </summary>
    [NonHandler]
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RefusalAnswer.Of(HttpContext) is { } refusal)
        {
            // Its own status and wait, also after the exception handler cleared the response for this page.
            Refusal = refusal;
            Response.StatusCode = refusal.Status;
            if (refusal.RetryAfter is { } wait)
            {
                Response.Headers.RetryAfter = DiagnosisRateLimit.Seconds(wait);
                Response.Headers.CacheControl = "no-store";
            }
        }
        if (context.HandlerMethod is null)
        {
            Status = Response.StatusCode;
        }
    }
}
