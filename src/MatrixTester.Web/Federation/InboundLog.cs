using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Records who fetched our keys, for the two-way check: a fetch of a probe key by id belongs to that probe (no cache
/// anywhere holds its id, so the probe caused it); any other fetch (the whole key set, or another key id) belongs to
/// every probe active at that moment. Fields come from the peer, so each is bounded and stripped of control
/// characters before it is stored. The remote address is the site's client address: a forwarded one when a trusted
/// proxy sent it (Abuse:KnownProxies), as the rate limits see it.
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

    /// <summary>The probes a request is attributed to (see the class summary).</summary>
    public static IReadOnlyCollection<string> Attribute(string? requestedKeyId, IReadOnlyList<StoredProbe> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var byId = active.FirstOrDefault(p => p.Key.KeyId == requestedKeyId);
        return byId is not null ? [byId.Key.KeyId] : [.. active.Select(p => p.Key.KeyId)];
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
