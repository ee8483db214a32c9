using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Abuse;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

public static class FederationServices
{
    /// <summary>
    /// The federation endpoints (<c>/_matrix/…</c> and the server well-known file): a bucket of their own, so peers
    /// fetching our keys never spend anybody's diagnosis tokens and a flood of key requests cannot turn into a flood
    /// of store reads.
    /// </summary>
    public static RateLimitPolicy RateLimit { get; } = new("federation", "refusal.federation.title", "refusal.federation.text");

    /// <summary>
    /// The federation options (validated at start), and the identity's parts: the long-term key (loaded or created at
    /// start when <c>Federation:ServerName</c> is set), the probe store, and <see cref="FederationIdentity"/>, which
    /// the engine gets through <see cref="Identity"/>; the OpenID tokens of the call token check's test users and the
    /// userinfo endpoint that answers for them, which the engine gets through <see cref="TokenCheckIssuer"/>.
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
        services.AddRateLimitPolicy<FederationOptions>(RateLimit, o => o.RateLimit);
        services.AddSingleton<LongTermKey>();
        services.AddSingleton<ProbeStore>();
        services.AddSingleton<KeyFetchLog>();
        services.AddSingleton<FetchTally>();
        services.AddHostedService(sp => sp.GetRequiredService<FetchTally>());
        services.AddSingleton<ServedKeys>();
        services.AddSingleton<FederationIdentity>();
        services.AddSingleton<OpenIdStore>();
        services.AddSingleton<UserInfoEndpoint>();
        services.AddSingleton<OpenIdIssuer>();
        services.AddHostedService<ProbeCleanup>();
        return services;
    }

    /// <summary>
    /// The identity the engine's two-way check uses, or null without <c>Federation:ServerName</c> (the check then
    /// reports "not configured", and nothing is loaded or created). Decided when the container builds, since
    /// configuration (a test factory's included) is complete only then.
    /// </summary>
    public static IFederationIdentity? Identity(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<IOptions<FederationOptions>>().Value.ServerName is null ? null : services.GetRequiredService<FederationIdentity>();
    }

    /// <summary>
    /// The site as the homeserver of the call token check's test users, or null without <c>Federation:ServerName</c>
    /// (the check then reports "not configured"). Decided when the container builds, like <see cref="Identity"/>.
    /// </summary>
    public static IOpenIdIssuer? TokenCheckIssuer(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<IOptions<FederationOptions>>().Value.ServerName is null ? null : services.GetRequiredService<OpenIdIssuer>();
    }

    /// <summary>
    /// With an identity, loads (or creates) the long-term key now: a damaged key file stops the start with
    /// <see cref="InvalidSettingException"/>. Without one, nothing is read or created.
    /// </summary>
    public static void CheckSigningKey(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetRequiredService<IOptions<FederationOptions>>().Value.ServerName is null)
        {
            return;
        }
        try
        {
            _ = services.GetRequiredService<LongTermKey>().Key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var path = LongTermKey.PathOf(services.GetRequiredService<IOptions<FederationOptions>>().Value, services.GetRequiredService<IOptions<StorageOptions>>().Value);
            throw new InvalidSettingException($"Federation:SigningKeyPath: {path} cannot be read or created ({e.Message}). Check the path and the permissions of its directory.", e);
        }
    }
}
