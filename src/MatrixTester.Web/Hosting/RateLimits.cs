using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Hosting;

/// <summary>
/// Every diagnosis makes outgoing DNS, TLS and HTTP requests on the visitor's behalf, so each client address gets a
/// budget (<see cref="SiteOptions.DiagnosesPerMinute"/>). Behind a reverse proxy, forward the client address
/// (ASPNETCORE_FORWARDEDHEADERS_ENABLED=true), or every visitor shares the proxy's budget.
/// </summary>
public static class RateLimits
{
    public const string Diagnosis = "diagnosis";

    public static IServiceCollection AddDiagnosisRateLimit(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = (context, cancellationToken) =>
        {
            context.HttpContext.Response.ContentType = "text/plain";
            context.HttpContext.Response.Headers.RetryAfter = "60";
            return new ValueTask(context.HttpContext.Response.WriteAsync("Too many tests from your address. Please wait a minute and try again.", cancellationToken));
        };
        limiter.AddPolicy(Diagnosis, http =>
        {
            var perMinute = http.RequestServices.GetRequiredService<IOptions<SiteOptions>>().Value.DiagnosesPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
    });
}
