using System.Net;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MatrixTester.Web.Monitoring;

public static class MetricsEndpoint
{
    /// <summary>
    /// The diagnoses' instruments (<see cref="SiteMetrics"/>; the engine is counted by <see cref="MeasuredDiagnosisService"/>
    /// where it is registered) and the OpenTelemetry Prometheus exporter listening to the site's meter.
    /// </summary>
    public static IServiceCollection AddSiteMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.NetworksAreValid(), "Metrics:AllowedNetworks entries must be CIDR networks such as 10.0.0.0/8 or fd00::/8.")
            .ValidateOnStart();
        services.AddSingleton<SiteMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("matrixtester"))
            .WithMetrics(metrics => metrics
            .AddMeter(SiteMeter.Name)
            // Every scrape sees current values (the default cache would hide a diagnosis that just finished).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>Maps <c>/metrics</c> when Metrics:Enabled; only loopback and Metrics:AllowedNetworks may read it.</summary>
    public static WebApplication MapSiteMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }
        // The instruments exist from the first scrape, before any diagnosis has made them.
        _ = app.Services.GetRequiredService<SiteMetrics>();
        _ = app.Services.GetRequiredService<StoreMetrics>();
        var networks = options.ParsedNetworks();
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) =>
        {
            if (IsAllowed(context, networks))
            {
                return next(context);
            }
            // 404, not 403: the endpoint's existence is nobody else's business.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }), optionsName: null);
        return app;
    }

    /// <summary>
    /// Loopback or a listed network, and not relayed by a proxy: a reverse proxy on the same host connects from
    /// loopback, so a request still carrying X-Forwarded-For (not consumed by the forwarded-headers middleware) or
    /// Forwarded came from somewhere else and is refused.
    /// </summary>
    internal static bool IsAllowed(HttpContext context, IReadOnlyList<IPNetwork> networks)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("Forwarded"))
        {
            return false;
        }
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return IPAddress.IsLoopback(address) || networks.Any(n => n.Contains(address));
    }
}
