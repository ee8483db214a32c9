using System.Threading.RateLimiting;
using MatrixTester.Web.Abuse;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Watches;

/// <summary>
/// Per client address token bucket on creating watches (<c>POST /api/v2/watches</c> and the result page's form): each
/// one may send a confirmation mail, so a stranger must not be able to make the site mail many addresses. Its own
/// bucket, apart from the diagnosis limit; placed before routing like that one, so it decides by path.
/// </summary>
public sealed class WatchRateLimit(IOptions<MonitoringOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        RateLimitPartition.GetTokenBucketLimiter(ClientAddress.PartitionKey(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.CreateTokenLimit,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = options.Value.CreateReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    internal static bool CreatesWatch(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value is "/api/v2/watches" or "/watch";

    internal async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (!CreatesWatch(context.Request))
        {
            await next();
            return;
        }
        using var lease = await _limiter.AcquireAsync(context, 1, context.RequestAborted);
        if (lease.IsAcquired)
        {
            await next();
            return;
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Value.CreateReplenishmentPeriod;
        await BusyResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, retryAfter, "Too many watches from your address",
            "Each new watch can send a confirmation mail, so each address may only create a few in a row.", context.RequestAborted);
    }

    public void Dispose() => _limiter.Dispose();
}

public static class WatchRateLimitExtensions
{
    public static WebApplication UseWatchRateLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<WatchRateLimit>();
        app.Use((context, next) => limit.InvokeAsync(context, () => next(context)));
        return app;
    }
}
