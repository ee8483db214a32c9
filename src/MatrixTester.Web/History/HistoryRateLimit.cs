using System.Threading.RateLimiting;
using MatrixTester.Web.Abuse;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.History;

/// <summary>
/// Per client address token bucket on the reads that parse stored reports: the Atom feed (<c>/s/{name}.atom</c>)
/// and a comparison (<c>/r/{id}?vs=…</c>). A policy of the site's one rate limiter, with its own bucket
/// (<c>History:RateLimit</c>); a permalink without <c>vs</c> is not counted, and answers the output cache serves
/// never reach the limiter.
/// </summary>
public static class HistoryRateLimit
{
    public const string Policy = "history";
    public const string Title = "Too many feeds or comparisons from your address";
    public const string Text = "Each feed and each comparison reads several stored results, so each address may only ask for a limited number in a row.";

    public static IServiceCollection AddHistoryRateLimit(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HistoryOptions>>((options, history) =>
            options.AddPolicy(Policy, context => Counts(context)
                ? RateLimitPartition.GetTokenBucketLimiter(ClientAddress.PartitionKey(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = history.Value.RateLimit.TokenLimit,
                    TokensPerPeriod = history.Value.RateLimit.TokensPerPeriod,
                    ReplenishmentPeriod = history.Value.RateLimit.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter("")));
        return services;
    }

    /// <summary>This endpoint reads stored reports: count its requests against the client's history bucket.</summary>
    public static TBuilder RequireHistoryRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(Policy).WithMetadata(new RateLimitMessageAttribute(Title, Text));

    // The feed always parses; a permalink page only when it compares.
    private static bool Counts(HttpContext context) =>
        context.Request.Path.Value?.EndsWith(".atom", StringComparison.Ordinal) == true || !string.IsNullOrEmpty(context.Request.Query["vs"]);
}
