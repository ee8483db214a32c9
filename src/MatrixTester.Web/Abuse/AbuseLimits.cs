using System.ComponentModel.DataAnnotations;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Refusals;
using Microsoft.AspNetCore.RateLimiting;

namespace MatrixTester.Web.Abuse;

/// <summary>
/// The <c>Abuse</c> settings, the diagnosis rate limit and the site's one ASP.NET Core rate limiter, whose policies
/// (creating watches, the federation endpoints) are declared on their endpoints and share one rejection handler.
/// </summary>
public static class AbuseLimits
{
    public static IServiceCollection AddAbuseLimits(this IServiceCollection services)
    {
        services.AddOptions<AbuseOptions>().BindConfiguration(AbuseOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.RateLimit is not null && Validator.TryValidateObject(o.RateLimit, new(o.RateLimit), null, validateAllProperties: true),
                "Abuse:RateLimit values are out of range.")
            .Validate(ClientAddress.AllValid, "Abuse:KnownProxies must be IP addresses and Abuse:KnownNetworks CIDR networks (10.0.0.0/8).")
            .ValidateOnStart();
        services.AddSingleton<DiagnosisRateLimit>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var message = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<RateLimitMessageAttribute>()
                    ?? new RateLimitMessageAttribute("Too many requests from your address", "Please slow down.");
                return BusyResponses.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, retryAfter, message.Title, message.Text, cancellationToken);
            };
        });
        return services;
    }

    /// <summary>After routing: the limiter reads the policy an endpoint declares (watch creation, federation).</summary>
    public static WebApplication UseEndpointRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }
}
