using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace MatrixTester.Web.Refusals;

/// <summary>
/// Every route that reads stored results (permalinks, a server's history, the v2 results API, the badge) answers a
/// store outage with 503 and Retry-After (<see cref="RefusalAnswer.StoreOutage"/>): problem details or a line of
/// text for programs, here; for people the error page shows the same answer (it finds the outage on the request).
/// Never a 500: the data is not gone, the store is only unreachable for now.
/// </summary>
public sealed class StoreOutageResponses : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not StoreUnavailableException outage || httpContext.Response.HasStarted)
        {
            return false;
        }
        // The exception handler has already pointed Request.Path at /error; the feature keeps the original.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        var style = AnswerStyles.For(httpContext.Request, path);
        if (style == AnswerStyle.Page)
        {
            return false;
        }
        httpContext.Response.Clear();
        await RefusalResult.WriteAsync(httpContext, RefusalAnswer.StoreOutage(outage.RetryAfter), style);
        return true;
    }
}
