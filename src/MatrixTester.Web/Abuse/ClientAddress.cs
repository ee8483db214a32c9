using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Abuse;

/// <summary>
/// Who the client is, for rate limits. X-Forwarded-For is believed only from the proxies configured in
/// <c>Abuse:KnownProxies</c> / <c>Abuse:KnownNetworks</c>: anybody can send the header, so by default it is ignored
/// (ASP.NET Core's own defaults would trust loopback, which is wrong for a site that may sit behind nothing).
/// </summary>
public static class ClientAddress
{
    internal static void Configure(ForwardedHeadersOptions options, AbuseOptions abuse)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in abuse.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        foreach (var network in abuse.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }

    internal static bool AllValid(AbuseOptions abuse) =>
        abuse.KnownProxies.All(p => IPAddress.TryParse(p, out _)) && abuse.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _));

    /// <summary>Replace the connection's address with the forwarded one when a known proxy sent it.</summary>
    public static WebApplication UseClientAddress(this WebApplication app)
    {
        var abuse = app.Services.GetRequiredService<IOptions<AbuseOptions>>().Value;
        if (abuse.KnownProxies.Count == 0 && abuse.KnownNetworks.Count == 0)
        {
            // The middleware trusts every sender when both lists are empty; with no proxy configured, skip it entirely.
            return app;
        }
        var options = new ForwardedHeadersOptions();
        Configure(options, abuse);
        app.UseForwardedHeaders(options);
        return app;
    }

    /// <summary>
    /// The rate-limit partition of a client: its IPv4 address, or the /64 of an IPv6 address (one home or server
    /// usually gets a whole /64, so single addresses would be free to rotate through).
    /// </summary>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }
}
