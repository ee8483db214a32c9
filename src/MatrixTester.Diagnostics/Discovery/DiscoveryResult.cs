using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>
/// Everything discovery learned: the well-known (if used), SRV lookups, every address lookup made, and the
/// endpoints other servers would connect to, in the order they would try them.
/// </summary>
public sealed record DiscoveryResult(
    ServerName ServerName,
    WellKnownResult WellKnown,
    SrvResult? Srv,
    IReadOnlyList<DnsAnswer> AddressLookups,
    IReadOnlyList<ResolvedEndpoint> Endpoints,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The host whose SRV/addresses were resolved: the delegated host, or the server name's host.</summary>
    public string ResolvedHost => WellKnown.Delegated?.Host ?? ServerName.Host;
}
