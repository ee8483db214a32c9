using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics.Tls;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Hosting;

public static class DiagnosisEngineExtensions
{
    /// <summary>
    /// The engine, configured from the <c>Diagnosis</c> section (Diagnosis__NameServers__0, Diagnosis__ExtraTrustedRoots,
    /// Diagnosis__AllowPrivateNetworks, timeouts). Bad values stop the app at start instead of failing the first user.
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
            .ValidateOnStart();
        // The site's own public address goes into the engine's User-Agent (MatrixTester/<version> (+<url>)).
        services.AddOptions<DiagnosisOptions>().Configure<IOptions<SiteOptions>>((o, site) => o.PublicUrl ??= site.Value.PublicUrl);
        services.AddSingleton<IDnsResolver>(sp => DnsClient.Create(Value(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => TrustAnchors.FromOptions(Value(sp)));
        services.AddSingleton<IDiagnosisService, DiagnosisService>();
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
