using System.ComponentModel.DataAnnotations;

namespace MatrixTester.Web.Abuse;

public static class AbuseServices
{
    /// <summary>The <c>Abuse</c> settings: the diagnosis limits and who may forward a client's address.</summary>
    public static IServiceCollection AddAbuseOptions(this IServiceCollection services)
    {
        services.AddOptions<AbuseOptions>().BindConfiguration(AbuseOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.RateLimit is not null && Validator.TryValidateObject(o.RateLimit, new(o.RateLimit), null, validateAllProperties: true),
                "Abuse:RateLimit values are out of range.")
            .Validate(ClientAddress.AllValid, "Abuse:KnownProxies must be IP addresses and Abuse:KnownNetworks CIDR networks (10.0.0.0/8).")
            .ValidateOnStart();
        return services;
    }
}
