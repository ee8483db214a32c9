using MatrixTester.Web.Abuse;
using MatrixTester.Web.Monitoring;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.RateLimiting;

namespace MatrixTester.Web.Refusals;

public static class RefusalServices
{
    /// <summary>
    /// The site's one rate limiter, whose policies the endpoints declare (<see cref="RateLimitPolicies"/>), answering
    /// every rejection with the declaring policy's words; and the answer to a store outage.
    /// </summary>
    public static IServiceCollection AddRefusals(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                http.RequestServices.GetRequiredService<SiteMetrics>().RateLimitRejected();
                var retryAfter = context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var policy = RateLimitPolicies.Of(http);
                var answer = new RefusalAnswer(StatusCodes.Status429TooManyRequests, policy?.Title ?? SiteText.Get("refusal.requests.title"),
                    policy?.Text ?? SiteText.Get("refusal.requests.text"), retryAfter);
                return new ValueTask(RefusalResult.WriteAsync(http, answer, AnswerStyles.For(http.Request)));
            };
        });
        services.AddExceptionHandler<StoreOutageResponses>();
        return services;
    }

    /// <summary>
    /// Exceptions and error statuses become the error page (or, for programs, the answers above). A store outage a
    /// page failed on is a 503 the site gives on purpose: the error page says so, and it is not logged as a failure
    /// (the outage itself is logged once, when it starts).
    /// </summary>
    public static WebApplication UseRefusalPages(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            StatusCodeSelector = e => e is StoreUnavailableException ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
            SuppressDiagnosticsCallback = c => c.Exception is StoreUnavailableException,
        });
        app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        return app;
    }

    /// <summary>After routing: the limiter reads the policy an endpoint declares.</summary>
    public static WebApplication UseEndpointRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }
}
