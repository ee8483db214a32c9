using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MatrixTester.Web.Pages;

/// <summary>Status code pages (404 and friends) and the exception handler's page: plain words, no stack traces.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public void OnGet(int? status) => Status = status ?? StatusCodes.Status500InternalServerError;

    /// <summary>
    /// Re-executed for a request of another method (a POST that got 404 or 405) no handler runs: the status is the
    /// one the response already has.
    /// </summary>
    [NonHandler]
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HandlerMethod is null)
        {
            Status = Response.StatusCode;
        }
    }
}
