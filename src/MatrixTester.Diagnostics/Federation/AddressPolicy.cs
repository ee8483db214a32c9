using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>The policy's answer for one address: allowed, or refused with the name of the range it fell in.</summary>
public readonly record struct AddressDecision(bool Allowed, string? Range)
{
    public static readonly AddressDecision Allow = new(true, null);
}

/// <summary>
/// The SSRF guard. A public tester connects wherever a stranger's DNS points, so every address is checked here
/// right before it is dialled (the dialled <see cref="IPAddress"/> itself, never a name that could be re-resolved).
/// Non-public ranges are refused unless <see cref="DiagnosisOptions.AllowPrivateNetworks"/> is set (tests,
/// intranet installs). IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by
/// the embedded address, so ::ffff:127.0.0.1 is as loopback as 127.0.0.1.
/// </summary>
public sealed class AddressPolicy(bool allowPrivateNetworks, IReadOnlyList<IPNetwork>? allowedNetworks = null)
{
    /// <summary>The policy an engine runs with: <see cref="DiagnosisOptions.AllowPrivateNetworks"/> and <see cref="DiagnosisOptions.AllowedNetworks"/>.</summary>
    public static AddressPolicy FromOptions(DiagnosisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var networks = options.AllowedNetworks.Select(text => IPNetwork.TryParse(text.Trim(), out var network)
            ? network
            : throw new FormatException($"Diagnosis:AllowedNetworks entry '{text}' is not a network in CIDR form (e.g. 10.20.0.0/16).")).ToArray();
        return new AddressPolicy(options.AllowPrivateNetworks, networks);
    }

    private static readonly (IPNetwork Network, string Name)[] V4Blocked =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "\"this network\" (0.0.0.0/8)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private network (RFC 1918, 10.0.0.0/8)"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT (100.64.0.0/10)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback (127.0.0.0/8)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (169.254.0.0/16)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private network (RFC 1918, 172.16.0.0/12)"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments (192.0.0.0/24)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation (TEST-NET-1, 192.0.2.0/24)"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast (192.88.99.0/24)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private network (RFC 1918, 192.168.0.0/16)"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking (198.18.0.0/15)"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation (TEST-NET-2, 198.51.100.0/24)"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation (TEST-NET-3, 203.0.113.0/24)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast (224.0.0.0/4)"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (240.0.0.0/4) or broadcast"),
    ];

    private static readonly (IPNetwork Network, string Name)[] V6Blocked =
    [
        (IPNetwork.Parse("::/128"), "unspecified (::)"),
        (IPNetwork.Parse("::1/128"), "loopback (::1)"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use NAT64 (64:ff9b:1::/48)"),
        (IPNetwork.Parse("100::/64"), "discard-only (100::/64)"),
        (IPNetwork.Parse("2001::/32"), "Teredo tunnelling (2001::/32)"),
        (IPNetwork.Parse("2001:2::/48"), "benchmarking (2001:2::/48)"),
        (IPNetwork.Parse("2001:10::/28"), "ORCHID (2001:10::/28)"),
        (IPNetwork.Parse("2001:20::/28"), "ORCHIDv2 (2001:20::/28)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation (2001:db8::/32)"),
        (IPNetwork.Parse("3fff::/20"), "documentation (3fff::/20)"),
        (IPNetwork.Parse("5f00::/16"), "segment routing SIDs (5f00::/16)"),
        (IPNetwork.Parse("fc00::/7"), "unique local address (fc00::/7)"),
        (IPNetwork.Parse("fe80::/10"), "link-local (fe80::/10)"),
        (IPNetwork.Parse("fec0::/10"), "site-local, deprecated (fec0::/10)"),
        (IPNetwork.Parse("ff00::/8"), "multicast (ff00::/8)"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");

    public bool AllowPrivateNetworks { get; } = allowPrivateNetworks;

    public AddressDecision Check(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (AllowPrivateNetworks || (allowedNetworks?.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)) ?? false))
        {
            return AddressDecision.Allow;
        }
        var range = Classify(address);
        return range is null ? AddressDecision.Allow : new AddressDecision(false, range);
    }

    /// <summary>The name of the non-public range <paramref name="address"/> belongs to, or null for a public address.</summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(address);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return Embedded(address.MapToIPv4(), "IPv4-mapped IPv6");
        }
        var bytes = address.GetAddressBytes();
        if (V4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
        {
            return Embedded(new IPAddress(bytes.AsSpan(12, 4)), "IPv4-compatible IPv6") ?? "IPv4-compatible IPv6 (::/96, deprecated)";
        }
        if (Nat64.Contains(address))
        {
            return Embedded(new IPAddress(bytes.AsSpan(12, 4)), "NAT64");
        }
        if (SixToFour.Contains(address))
        {
            return Embedded(new IPAddress(bytes.AsSpan(2, 4)), "6to4");
        }
        foreach (var (network, name) in V6Blocked)
        {
            if (network.Contains(address))
            {
                return name;
            }
        }
        return null;
    }

    private static string? Embedded(IPAddress v4, string form) =>
        ClassifyV4(v4) is { } inner ? $"{inner}, written as {form}" : null;

    private static string? ClassifyV4(IPAddress address)
    {
        foreach (var (network, name) in V4Blocked)
        {
            if (network.Contains(address))
            {
                return name;
            }
        }
        return null;
    }
}
