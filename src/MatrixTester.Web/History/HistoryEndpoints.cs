using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Hosting;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.History;

/// <summary>History options and the Atom feed; the picture and comparisons are view components on the pages.</summary>
public static class HistoryEndpoints
{
    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HistoryOptions>().Configure<IOptions<SiteOptions>>((o, site) => o.PublicUrl = site.Value.PublicUrl);
        services.AddSingleton<AtomFeed>();
        return services;
    }

    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        // A literal suffix makes this route more specific than the page's /s/{name}, so it wins for names ending in .atom.
        app.MapGet("/s/{name}.atom", FeedAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> FeedAsync(string name, ServerNameInput input, AtomFeed feed, IOptions<HistoryOptions> options,
        TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (input.Problem(name) is not null || !Diagnostics.ServerName.TryParse(name, out var parsed, out _))
        {
            return TypedResults.NotFound();
        }
        var xml = await feed.BuildAsync(parsed.Text, options.Value.BaseUrl(context.Request), time.GetUtcNow(), cancellationToken);
        // Feed readers poll; a few minutes of caching costs nothing, a verdict change is at most that late.
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(xml, "application/atom+xml; charset=utf-8");
    }
}
