using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MatrixTester.Web.Pages;

/// <summary>
/// Every Razor page matches every method, and a page whose model has no handler for the request's method is still
/// rendered, with its model never filled in: a POST to the homepage, a permalink or a docs page used to reach its view
/// half-built and end in a 500 with a stack trace in the log. Here such a request gets 405 with <c>Allow</c> instead,
/// before any page code runs. A page without handlers serves GET and HEAD; HEAD goes wherever GET does. Requests
/// re-executed for the error page keep their original method and are let through to it.
/// </summary>
internal sealed class MethodNotAllowedFilter : IAsyncPageFilter
{
    private static readonly string[] ViewOnly = [HttpMethods.Get, HttpMethods.Head];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var allowed = Allowed(context.ActionDescriptor);
        if (allowed.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) || IsReExecuted(http))
        {
            return next();
        }
        http.Response.Headers.Allow = string.Join(", ", allowed);
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        return Task.CompletedTask;
    }

    private static string[] Allowed(CompiledPageActionDescriptor page)
    {
        var methods = page.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).ToList();
        if (methods.Count == 0)
        {
            return ViewOnly;
        }
        if (methods.Contains(HttpMethods.Get))
        {
            methods.Add(HttpMethods.Head);
        }
        return [.. methods.Distinct().Order(StringComparer.Ordinal)];
    }

    private static bool IsReExecuted(HttpContext http) =>
        http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null;
}
