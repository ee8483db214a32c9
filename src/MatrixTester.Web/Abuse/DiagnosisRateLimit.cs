using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Abuse;

/// <summary>
/// Per client token bucket on the requests that start a diagnosis. Endpoints that can start one declare it
/// (<see cref="RequireDiagnosisRateLimit{TBuilder}"/>, or <c>[EnableRateLimiting(DiagnosisRateLimit.Policy)]</c> on a
/// page); everything else (docs, static files, permalinks) is never limited. One policy, so one bucket per client
/// whichever endpoint it calls.
/// </summary>
public static class DiagnosisRateLimit
{
    public const string Policy = "diagnosis";

    private static readonly RateLimitMessageAttribute DiagnosisMessage = new("Too many tests from your address",
        "You have started a lot of tests in a short time. To keep the tester fair for everybody (and to avoid hammering other people's servers), each address gets a limited number.");

    public static IServiceCollection AddAbuseLimits(this IServiceCollection services)
    {
        services.AddOptions<AbuseOptions>().BindConfiguration(AbuseOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.RateLimit is not null && System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
                o.RateLimit, new(o.RateLimit), null, validateAllProperties: true), "Abuse:RateLimit values are out of range.")
            .Validate(ClientAddress.AllValid, "Abuse:KnownProxies must be IP addresses and Abuse:KnownNetworks CIDR networks (10.0.0.0/8).")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AbuseOptions>>((options, abuse) =>
        {
            var limits = abuse.Value.RateLimit;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context => StartsDiagnosis(context)
                ? RateLimitPartition.GetTokenBucketLimiter(ClientAddress.PartitionKey(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.TokenLimit,
                    TokensPerPeriod = limits.TokensPerPeriod,
                    ReplenishmentPeriod = limits.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.ReplenishmentPeriod;
                var message = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<RateLimitMessageAttribute>() ?? DiagnosisMessage;
                return BusyResponses.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, retryAfter, message.Title, message.Text, cancellationToken);
            };
        });
        return services;
    }

    /// <summary>This endpoint starts diagnoses: count its requests against the client's bucket.</summary>
    public static TBuilder RequireDiagnosisRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(Policy);

    /// <summary>After routing: the limiter reads the endpoint's declared policy.</summary>
    public static WebApplication UseDiagnosisRateLimit(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    // A GET with a server_name (the Prometheus probe calls it target, as the blackbox exporter does) starts (or joins)
    // a diagnosis. On the homepage, stream=1 only renders the live page (the stream it opens is what gets counted, so
    // one test costs one token) and a handler (the unsaved report's fragment) only reads what already ran.
    internal static bool StartsDiagnosis(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && (!string.IsNullOrWhiteSpace(context.Request.Query["server_name"]) || !string.IsNullOrWhiteSpace(context.Request.Query["target"]))
        && !(IsPage(context) && (context.Request.Query["stream"] == "1" || context.Request.Query.ContainsKey("handler")));

    private static bool IsPage(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null;

    internal static string Seconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
