using System.Net;
using System.Net.Sockets;
using MatrixTester.Web.Abuse;
using Microsoft.AspNetCore.Connections.Features;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Describes a request for our keys for the two-way check's log. Fields come from the peer, so each is bounded and
/// stripped of control characters before it is stored. The remote address is the site's client address (a forwarded
/// one when a trusted proxy sent it, Abuse:KnownProxies, as the rate limits see it), and its source (the address, an
/// IPv6 address by /64) is what attributes the fetch: to the probes whose target has that source, and to no other.
/// Which key the request names says nothing: every probe key id is listed in the key set anyone can fetch.
/// </summary>
public static class InboundLog
{
    public const int MaxAddress = 64;
    public const int MaxName = 255;
    public const int MaxUserAgent = 256;
    public const int MaxPath = 512;

    public static InboundRecord Describe(HttpContext context, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }
        var request = context.Request;
        return new InboundRecord(
            at,
            Abuse.ClientAddress.PartitionKey(address),
            Bound(address?.ToString(), MaxAddress) ?? "unknown",
            address?.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
            Bound(Sni(context), MaxName),
            Bound(request.Host.HasValue ? request.Host.Value : null, MaxName),
            Bound(request.Headers.UserAgent.ToString(), MaxUserAgent),
            Bound((request.PathBase + request.Path).ToUriComponent(), MaxPath) ?? "/");
    }

    // Kestrel fills ITlsHandshakeFeature.HostName only when it selects certificates by name; with one certificate
    // from settings (the usual federation endpoint) the name the client sent is on the server's SslStream.
    private static string? Sni(HttpContext context) =>
        context.Features.Get<ITlsHandshakeFeature>()?.HostName is { Length: > 0 } name ? name : context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ISslStreamFeature>()?.SslStream.TargetHostName;

    /// <summary>True when <paramref name="source"/> is the address of some active probe's target.</summary>
    public static bool IsTargetOfAny(string source, IReadOnlyList<StoredProbe> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        return active.Any(p => p.Sources.Contains(source, StringComparer.Ordinal));
    }

    internal static string? Bound(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var text = value.Length > max ? value[..max] : value;
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) || char.IsSurrogate(source[i]) ? '?' : source[i];
            }
        });
    }
}
