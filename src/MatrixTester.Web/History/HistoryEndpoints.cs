using MatrixTester.Web.Abuse;
using MatrixTester.Web.Diagnoses;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.History;

/// <summary>History options and the Atom feed; the picture and comparisons are view components on the pages.</summary>
public static class HistoryEndpoints
{
    public const string RateLimitName = "history";

    /// <summary>
    /// The reads that parse stored reports: the Atom feed (<c>/s/{name}.atom</c>) and a comparison
    /// (<c>/r/{id}?vs=…</c>). A permalink without <c>vs</c> is not counted, and answers the output cache serves never
    /// reach the limiter.
    /// </summary>
    public static RateLimitPolicy RateLimit { get; } = new(RateLimitName, "refusal.history.title", "refusal.history.text",
        request => request.Path.Value?.EndsWith(".atom", StringComparison.Ordinal) == true || !string.IsNullOrEmpty(request.Query["vs"]));

    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.RateLimit is not null && System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
                o.RateLimit, new(o.RateLimit), null, validateAllProperties: true), "History:RateLimit values are out of range.")
            .Configure<IOptions<SiteOptions>>((o, site) => o.PublicUrl = site.Value.PublicUrl)
            .ValidateOnStart();
        services.AddSingleton<StoredReports>();
        services.AddSingleton<ComparisonCache>();
        services.AddSingleton<AtomFeed>();
        services.AddRateLimitPolicy<HistoryOptions>(RateLimit, o => o.RateLimit);
        // Feed readers poll: one build serves everybody for FeedCacheDuration, from memory and before routing (so a
        // cached feed costs about what a static file does, and never reaches the rate limiter).
        services.Configure<Microsoft.AspNetCore.OutputCaching.OutputCacheOptions>(o => o.AddBasePolicy(p => p.With(c => IsFeed(c.HttpContext.Request)).Expire(FeedCacheDuration)
            .VaryByValue(_ => new KeyValuePair<string, string>("lang", System.Globalization.CultureInfo.CurrentUICulture.Name))));
        return services;
    }

    /// <summary>How long a built feed is served from the output cache, and how long readers may keep it.</summary>
    public static readonly TimeSpan FeedCacheDuration = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        // A literal suffix makes this route more specific than the page's /s/{name}, so it wins for names ending in .atom.
        app.MapGet("/s/{name}.atom", FeedAsync).RequireRateLimit(RateLimit).ExcludeFromDescription();
        return app;
    }

    private static bool IsFeed(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments("/s") && request.Path.Value!.EndsWith(".atom", StringComparison.Ordinal);

    private static async Task<IResult> FeedAsync(string name, ServerNameInput input, AtomFeed feed, IOptions<HistoryOptions> options,
        TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (input.Problem(name) is not null || !Diagnostics.ServerName.TryParse(name, out var parsed, out _))
        {
            return TypedResults.NotFound();
        }
        var xml = await feed.BuildAsync(parsed.Text, time.GetUtcNow(), cancellationToken);
        // Feed readers poll; a few minutes of caching costs nothing, a verdict change is at most that late. Shared
        // caches only when the links are the site's configured address: without it they are relative.
        var maxAge = (int)FeedCacheDuration.TotalSeconds;
        context.Response.Headers.CacheControl = options.Value.BaseUrl.Length > 0 ? $"public, max-age={maxAge}" : $"private, max-age={maxAge}";
        return TypedResults.Text(xml, "application/atom+xml; charset=utf-8");
    }
}
