using System.Globalization;
using System.Threading.RateLimiting;
using MatrixTester.Web.Diagnoses;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Abuse;

/// <summary>
/// Per client token bucket on the requests that start a diagnosis (the homepage with a server name, the compatible
/// API, the v2 report and stream, the Prometheus probe). Docs, static files, permalinks and the live page shell are never limited.
/// </summary>
public static class DiagnosisRateLimit
{
    // Paths whose GET with a server_name starts a diagnosis. The homepage with stream=1 only renders the live
    // page; the stream it opens is what gets counted, so one test costs one token.
    private static readonly HashSet<string> StartPaths = new(StringComparer.OrdinalIgnoreCase)
    {
        "/", "/index", "/api/report", "/api/federation-ok", "/api/v2/report", "/api/v2/stream", "/probe",
    };

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
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => StartsDiagnosis(context.Request)
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
                return BusyResponses.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, retryAfter,
                    "Too many tests from your address",
                    "You have started a lot of tests in a short time. To keep the tester fair for everybody (and to avoid hammering other people's servers), each address gets a limited number.",
                    cancellationToken);
            };
        });
        services.AddSingleton<DiagnosisSlots>();
        services.AddSingleton<SharedDiagnoses>();
        return services;
    }

    public static WebApplication UseDiagnosisRateLimit(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    internal static bool StartsDiagnosis(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && StartPaths.Contains(request.Path.Value ?? "")
        && !string.IsNullOrWhiteSpace(request.Query[IsProbe(request) ? "target" : "server_name"])
        && !(IsHomepage(request) && request.Query["stream"] == "1");

    /// <summary>The Prometheus probe names its server <c>target</c>, as the blackbox exporter does.</summary>
    private static bool IsProbe(HttpRequest request) => string.Equals(request.Path.Value, "/probe", StringComparison.OrdinalIgnoreCase);

    private static bool IsHomepage(HttpRequest request) => request.Path.Value is "/" or "/index" or "/Index";

    internal static string Seconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
