using System.Net;
using System.Net.Sockets;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>
/// The tester's identity for engine tests (the site's own is tested through the site): a lab name with an HTTPS key
/// endpoint on 8448 that serves the long-term key and every live probe key, and records each request for them: for a
/// probe when it comes from one of the probe's target addresses, as a mere count otherwise (the site's rule).
/// </summary>
internal sealed class LabIdentity : IFederationIdentity
{
    private readonly LabSigningKey _longTerm = LabSigningKey.Create("ed25519:a_tester");
    private readonly List<(string Target, TestProbeKey Probe, IPAddress[] Addresses)> _probes = [];
    private LabRoutes _routes = null!;

    private LabIdentity(string serverName) => ServerName = serverName;

    public string ServerName { get; }

    public IPAddress Address { get; private set; } = IPAddress.None;

    public static async Task<LabIdentity> StartAsync(FederationLab lab, string serverName = "tester.lab.test")
    {
        var identity = new LabIdentity(serverName) { Address = FederationLab.NewAddress() };
        lab.Zone.A(serverName, identity.Address.ToString());
        await lab.HttpsAsync(identity.Address, 8448, lab.Pki.Issue(serverName), routes => identity._routes = routes.Map("/_matrix/key/v2/server", identity.ServeAsync));
        return identity;
    }

    /// <summary>How many probes were released (each check releases its probe once).</summary>
    public int Released
    {
        get { lock (_probes) { return _probes.Sum(p => p.Probe.Releases); } }
    }

    public Task<IProbeKey> StartProbeAsync(string targetServerName, IReadOnlyCollection<IPAddress> targetAddresses, CancellationToken cancellationToken)
    {
        lock (_probes)
        {
            if (_probes.LastOrDefault(p => p.Target == targetServerName && DateTimeOffset.UtcNow - p.Probe.StartedAt < TimeSpan.FromMinutes(1)) is { Probe: { } recent })
            {
                return Task.FromResult<IProbeKey>(recent.AsReused());
            }
            var probe = TestProbeKey.Create();
            _probes.Add((targetServerName, probe, [.. targetAddresses]));
            _routes.Map($"/_matrix/key/v2/server/{probe.KeyId}", ServeAsync);
            return Task.FromResult<IProbeKey>(probe);
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        (TestProbeKey Probe, IPAddress[] Addresses)[] probes;
        lock (_probes)
        {
            probes = [.. _probes.Select(p => (p.Probe, p.Addresses))];
        }
        var now = DateTimeOffset.UtcNow;
        var remote = context.Connection.RemoteIpAddress!;
        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        foreach (var (probe, addresses) in probes)
        {
            if (!addresses.Contains(remote))
            {
                probe.Count();
                continue;
            }
            probe.Record(new InboundKeyRequest(remote.ToString(), remote.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
                context.Features.Get<ITlsHandshakeFeature>()?.HostName, context.Request.Host.Value, context.Request.Headers.UserAgent.ToString(),
                context.Request.Path.Value!, (long)(now - probe.StartedAt).TotalMilliseconds));
        }
        // Newest probe key first, its signature first: @rocket.chat/federation-sdk 0.8.0 checks only the first
        // signature of a key response, with the key it was asked for.
        var signers = probes.Reverse().Select(p => p.Probe.Key).Append(_longTerm).ToList();
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(signers[0].KeyResponse(ServerName, now.AddHours(1), new KeyResponseOptions { AdditionalSigners = signers[1..] }));
    }
}
