using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Diagnostics.TwoWay;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

public static class FederationServices
{
    /// <summary>
    /// The federation options (validated at start), and, when <c>Federation:ServerName</c> is set, the identity:
    /// the long-term key (loaded or created at start), the probe store and <see cref="IFederationIdentity"/> for the
    /// engine. Without a server name the identity resolves to null and nothing is loaded or created.
    /// </summary>
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        services.AddOptions<FederationOptions>().BindConfiguration(FederationOptions.Section)
            .PostConfigure(o =>
            {
                o.ServerName = string.IsNullOrWhiteSpace(o.ServerName) ? null : o.ServerName.Trim();
                o.WellKnownServer = string.IsNullOrWhiteSpace(o.WellKnownServer) ? null : o.WellKnownServer.Trim();
            })
            .ValidateDataAnnotations()
            .Validate(o => o.ServerName is null || ServerName.TryParse(o.ServerName, out _, out _),
                "Federation:ServerName must be a valid Matrix server name (a DNS name or IP literal, with an optional port), such as federationtester.example.org.")
            .Validate(o => o.WellKnownServer is null || ServerName.TryParse(o.WellKnownServer, out _, out _),
                "Federation:WellKnownServer must be host or host:port, such as federationtester.example.org:443.")
            .Validate(o => o.MaxActiveProbesPerClient <= o.MaxActiveProbes,
                "Federation:MaxActiveProbesPerClient must not be larger than Federation:MaxActiveProbes.")
            .Validate(o => o.MaxActiveTokenChecksPerClient <= o.MaxActiveTokenChecks,
                "Federation:MaxActiveTokenChecksPerClient must not be larger than Federation:MaxActiveTokenChecks.")
            .Validate(o => o.RateLimit is not null && System.ComponentModel.DataAnnotations.Validator.TryValidateObject(o.RateLimit, new(o.RateLimit), null, validateAllProperties: true),
                "Federation:RateLimit values are out of range.")
            .ValidateOnStart();
        services.AddFederationRateLimit();
        services.AddSingleton<LongTermKey>();
        services.AddHostedService(sp => sp.GetRequiredService<LongTermKey>());
        services.AddSingleton<FederationDatabase>();
        services.AddSingleton<ProbeStore>();
        services.AddSingleton<KeyFetchLog>();
        services.AddSingleton<FetchTally>();
        services.AddHostedService(sp => sp.GetRequiredService<FetchTally>());
        services.AddSingleton<ServedKeys>();
        services.AddSingleton<FederationIdentity>();
        // Null without a server name: GetService<IFederationIdentity>() (or an optional constructor parameter) gets
        // nothing, and the engine reports the two-way check as not configured. Decided when the container builds,
        // since configuration (tests' included) is complete only then.
        services.AddSingleton<IFederationIdentity>(sp => sp.GetRequiredService<IOptions<FederationOptions>>().Value.ServerName is null
            ? null!
            : sp.GetRequiredService<FederationIdentity>());
        services.AddSingleton<OpenIdStore>();
        services.AddSingleton<UserInfoEndpoint>();
        services.AddSingleton<OpenIdIssuer>();
        // Null without a server name, like the identity: the call token check then reports "not configured".
        services.AddSingleton<IOpenIdIssuer>(sp => sp.GetRequiredService<IOptions<FederationOptions>>().Value.ServerName is null
            ? null!
            : sp.GetRequiredService<OpenIdIssuer>());
        services.AddHostedService<ProbeCleanup>();
        return services;
    }
}
