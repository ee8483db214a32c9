using System.Net;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Lab.Delay;

/// <summary>
/// Hosts behind a <see cref="DelayProxy"/>: the zone publishes the proxy's address and port, the real host listens
/// elsewhere on loopback. IPv6 has only ::1, so an IPv6 host differs by port (the backend takes a free one).
/// </summary>
public static class DelayedHosts
{
    /// <summary>An HTTPS host reachable at <paramref name="published"/> through a proxy adding <paramref name="oneWay"/> each way.</summary>
    public static async Task<(LabHttpsHost Host, DelayProxy Proxy)> DelayedHttpsAsync(this FederationLab lab, IPEndPoint published, TimeSpan oneWay,
        LabCertificate certificate, Action<LabRoutes> routes, bool http2 = false)
    {
        var backend = published.Address.Equals(IPAddress.IPv6Loopback)
            ? new IPEndPoint(IPAddress.IPv6Loopback, FederationLab.FreeIPv6Port())
            : new IPEndPoint(FederationLab.NewAddress(), published.Port);
        var host = await lab.HttpsAsync(backend.Address, backend.Port, certificate, routes, http2);
        var proxy = lab.Own(new DelayProxy(published, host.EndPoint, oneWay));
        return (host, proxy);
    }

    /// <summary>An address that accepts TCP connections (the kernel does) but never answers: a dead host behind a stateful firewall.</summary>
    public static LabRawHost Silent(this FederationLab lab, IPEndPoint endPoint) =>
        lab.Raw(endPoint.Address, endPoint.Port, (_, token) => Task.Delay(Timeout.Infinite, token));

    /// <summary>An address whose packets are dropped: TCP connects to it time out (see <see cref="LabBlackhole"/>).</summary>
    public static async Task<LabBlackhole> BlackholeAsync(this FederationLab lab, IPEndPoint endPoint) =>
        lab.Own(await LabBlackhole.StartAsync(endPoint));
}
