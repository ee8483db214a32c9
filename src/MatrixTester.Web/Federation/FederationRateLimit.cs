using System.Threading.RateLimiting;
using MatrixTester.Web.Abuse;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Per client address token bucket on the federation endpoints (<c>/_matrix/…</c> and the server well-known file):
/// a policy of the site's one rate limiter, with its own bucket, so peers fetching our keys never spend anybody's
/// diagnosis tokens and a flood of key requests cannot turn into a flood of store reads.
/// </summary>
public static class FederationRateLimit
{
    public const string Policy = "federation";
    public const string Title = "Too many federation requests from your address";
    public const string Text = "The tester's federation endpoints answer a few requests per address at a time.";

    public static IServiceCollection AddFederationRateLimit(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<FederationOptions>>((options, federation) =>
        {
            var limits = federation.Value.RateLimit;
            options.AddPolicy(Policy, context => RateLimitPartition.GetTokenBucketLimiter(
                ClientAddress.PartitionKey(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.TokenLimit,
                    TokensPerPeriod = limits.TokensPerPeriod,
                    ReplenishmentPeriod = limits.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return services;
    }

    public static TBuilder RequireFederationRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(Policy).WithMetadata(new RateLimitMessageAttribute(Title, Text));
}
