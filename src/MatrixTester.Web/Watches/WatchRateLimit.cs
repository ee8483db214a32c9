using System.Threading.RateLimiting;
using MatrixTester.Web.Abuse;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Watches;

/// <summary>
/// Per client address token bucket on creating watches (<c>POST /api/v2/watches</c> and the result page's form): each
/// one may send a confirmation mail, so a stranger must not be able to make the site mail many addresses. A policy of
/// the site's one rate limiter, with its own bucket apart from the diagnosis limit; the two endpoints declare it.
/// </summary>
public static class WatchRateLimit
{
    public const string Policy = "watch-create";
    public const string Title = "Too many watches from your address";
    public const string Text = "Each new watch can send a confirmation mail, so each address may only create a few in a row.";

    public static IServiceCollection AddWatchRateLimit(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<MonitoringOptions>>((options, monitoring) =>
            options.AddPolicy(Policy, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetTokenBucketLimiter(ClientAddress.PartitionKey(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = monitoring.Value.CreateTokenLimit,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = monitoring.Value.CreateReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter("")));
        return services;
    }

    /// <summary>This endpoint creates watches: count its requests against the client's watch bucket.</summary>
    public static TBuilder RequireWatchRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(Policy).WithMetadata(new RateLimitMessageAttribute(Title, Text));
}
