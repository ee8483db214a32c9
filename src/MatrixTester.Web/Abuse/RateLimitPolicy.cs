using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Abuse;

/// <summary>
/// A per-client token bucket on some kind of request: its name, the words a refused client reads, and which requests
/// it counts (null: all that reach it). Each client is its address (<see cref="ClientAddress.PartitionKey"/>) and has
/// a bucket of its own per policy, so spending one never costs another. The diagnosis limit is charged where a
/// diagnosis is admitted (whatever the door); the others are declared on their endpoints
/// (<see cref="RateLimitPolicies.RequireRateLimit{TBuilder}"/>) and enforced by the site's one rate limiter. Its words
/// are resource keys, read in the language of the request that was refused.
/// </summary>
public sealed record RateLimitPolicy(string Name, string TitleKey, string TextKey, Func<HttpRequest, bool>? Counts = null)
{
    public string Title => SiteText.Get(TitleKey);

    public string Text => SiteText.Get(TextKey);

    /// <summary>The bucket of one client under <paramref name="limits"/>.</summary>
    public static TokenBucketRateLimiterOptions Bucket(RateLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new()
        {
            TokenLimit = limits.TokenLimit,
            TokensPerPeriod = limits.TokensPerPeriod,
            ReplenishmentPeriod = limits.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>The partition <paramref name="context"/> falls in: its client's bucket, or no limit when the policy does not count it.</summary>
    public RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Counts is null || Counts(context.Request)
            ? RateLimitPartition.GetTokenBucketLimiter(ClientAddress.PartitionKey(context.Connection.RemoteIpAddress), _ => Bucket(limits))
            : RateLimitPartition.GetNoLimiter("");
    }
}

public static class RateLimitPolicies
{
    /// <summary>
    /// Adds <paramref name="policy"/> to the site's rate limiter, its bucket sized by <typeparamref name="TOptions"/>
    /// as bound when the container is built (so settings added later by a host or a test are seen).
    /// </summary>
    public static IServiceCollection AddRateLimitPolicy<TOptions>(this IServiceCollection services, RateLimitPolicy policy, Func<TOptions, RateLimitOptions> limits)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(policy);
        services.AddSingleton(policy);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<TOptions>>((options, configured) =>
            options.AddPolicy(policy.Name, context => policy.Partition(context, limits(configured.Value))));
        return services;
    }

    /// <summary>This endpoint's requests count against the client's bucket of <paramref name="policy"/>.</summary>
    public static TBuilder RequireRateLimit<TBuilder>(this TBuilder builder, RateLimitPolicy policy) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(policy);
        return builder.RequireRateLimiting(policy.Name);
    }

    /// <summary>The policy an endpoint declared (its words for the 429), among those registered.</summary>
    public static RateLimitPolicy? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        return name is null ? null : context.RequestServices.GetServices<RateLimitPolicy>().FirstOrDefault(p => p.Name == name);
    }
}
