using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Web.Federation;
using MatrixTester.Web.Monitoring;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Hosting;

public static class DiagnosisEngineExtensions
{
    /// <summary>
    /// The engine, configured from the <c>Diagnosis</c> section (Diagnosis__NameServers__0, Diagnosis__ExtraTrustedRoots,
    /// Diagnosis__AllowPrivateNetworks, timeouts), with the site's identity for the two-way check and the call token check
    /// when it has one,
    /// and counted for /metrics. Bad values stop the app at start instead of failing the first user.
    /// </summary>
    public static IServiceCollection AddDiagnosisEngine(this IServiceCollection services)
    {
        services.AddOptions<DiagnosisOptions>().BindConfiguration(DiagnosisOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.ExtraTrustedRoots) || File.Exists(o.ExtraTrustedRoots),
                "Diagnosis:ExtraTrustedRoots must name an existing PEM file.")
            .Validate(o => o.NameServers.All(ParsesAsNameServer),
                "Diagnosis:NameServers entries must be ip or ip:port ([v6]:port).")
            .Validate(o => o.PublicUrl is null || o.PublicUrl is { IsAbsoluteUri: true, Scheme: "http" or "https" },
                "Site:PublicUrl must be an absolute http(s) URL.")
            // The site's own public address goes into the engine's User-Agent (MatrixTester/<version> (+<url>)).
            .Configure<IOptions<SiteOptions>>((o, site) => o.PublicUrl ??= site.Value.PublicUrl)
            .ValidateOnStart();
        services.AddSingleton<IDnsResolver>(sp => DnsClient.Create(Value(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => TrustAnchors.FromOptions(Value(sp)));
        services.AddSingleton<IDiagnosisService>(sp => new MeasuredDiagnosisService(
            new DiagnosisService(sp.GetRequiredService<IOptions<DiagnosisOptions>>(), sp.GetRequiredService<IDnsResolver>(), sp.GetRequiredService<TrustAnchors>(),
                sp.GetRequiredService<TimeProvider>(), FederationServices.Identity(sp), FederationServices.TokenCheckIssuer(sp)),
            sp.GetRequiredService<SiteMetrics>()));
        return services;
    }

    private static DiagnosisOptions Value(IServiceProvider sp) => sp.GetRequiredService<IOptions<DiagnosisOptions>>().Value;

    private static bool ParsesAsNameServer(string entry)
    {
        try
        {
            NameServerList.ParseEntry(entry);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
