using System.Text.Json;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace MatrixTester.Web.Refusals;

/// <summary>
/// Every route that reads stored results (permalinks, a server's history, the v2 results API) answers a store outage
/// with 503 and Retry-After: a short page for people, a JSON error for the API. Never a 500: the data is not gone,
/// the store is only unreachable for now.
/// </summary>
public sealed class StoreOutageResponses : IExceptionHandler
{
    public const string Message = "Stored results are unavailable right now: the result store is not answering. Tests still work.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not StoreUnavailableException outage || httpContext.Response.HasStarted)
        {
            return false;
        }
        httpContext.Response.Clear();
        // The exception handler has already pointed Request.Path at /error; the feature keeps the original.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        if (path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = DiagnosisRateLimit.Seconds(outage.RetryAfter);
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.Headers.AccessControlAllowOrigin = "*";
            httpContext.Response.ContentType = "application/json";
            await httpContext.Response.WriteAsync(JsonSerializer.Serialize(new { error = Message, retryAfter = (int)Math.Ceiling(outage.RetryAfter.TotalSeconds) }), cancellationToken);
            return true;
        }
        await BusyResponses.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, outage.RetryAfter,
            "Stored results are unavailable right now",
            "The database that keeps test results is not answering, so this stored result cannot be shown at the moment. It has not been lost. Running a new test still works.",
            cancellationToken);
        return true;
    }
}
