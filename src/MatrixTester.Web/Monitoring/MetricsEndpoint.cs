using System.Net;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MatrixTester.Web.Monitoring;

public static class MetricsEndpoint
{
    /// <summary>
    /// The instruments, the diagnosis counter around the engine, and the OpenTelemetry Prometheus exporter listening
    /// to the <c>MatrixTester</c> meter. Call after AddDiagnosisEngine (it wraps that registration).
    /// </summary>
    public static IServiceCollection AddSiteMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.NetworksAreValid(), "Metrics:AllowedNetworks entries must be CIDR networks such as 10.0.0.0/8 or fd00::/8.")
            .ValidateOnStart();
        services.TryAddSingleton<SiteMetrics>();
        DecorateDiagnosisService(services);
        // Count rejections whatever else the rate limiter's own OnRejected does (it writes the 429 body).
        services.PostConfigure<RateLimiterOptions>(limiter =>
        {
            var respond = limiter.OnRejected;
            limiter.OnRejected = (context, cancellationToken) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<SiteMetrics>().RateLimitRejected();
                return respond?.Invoke(context, cancellationToken) ?? ValueTask.CompletedTask;
            };
        });
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

    private static void DecorateDiagnosisService(IServiceCollection services)
    {
        var engine = services.LastOrDefault(d => d.ServiceType == typeof(IDiagnosisService))
            ?? throw new InvalidOperationException("AddSiteMetrics must come after AddDiagnosisEngine.");
        services.Remove(engine);
        services.AddSingleton<IDiagnosisService>(sp => new MeasuredDiagnosisService(Create(sp, engine), sp.GetRequiredService<SiteMetrics>()));
    }

    private static IDiagnosisService Create(IServiceProvider sp, ServiceDescriptor engine) => (IDiagnosisService)(
        engine.ImplementationInstance
        ?? engine.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, engine.ImplementationType!));
}
