using System.Net;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests.Discovery;

/// <summary>
/// The discovery scenarios' shared helpers. The scenarios cover every row of the spec's "Resolving server names"
/// table and every way each can fail; each test reads like the situation it models and asserts the resolved
/// endpoints (address, port, Host, TLS name, step) or the exact finding.
/// </summary>
public abstract class DiscoveryLabTest : LabTest
{
    protected static void AssertEndpoint(ResolvedEndpoint endpoint, IPAddress address, int port, string host, string tlsName, DiscoveryStep step, string? srvTarget = null)
    {
        Assert.Equal(address, endpoint.Address);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(host, endpoint.HostHeader);
        Assert.Equal(tlsName, endpoint.TlsName);
        Assert.Equal(step, endpoint.Step);
        Assert.Equal(srvTarget, endpoint.SrvTarget);
    }

    /// <summary>The server name's web server on port 443 answers the well-known as <paramref name="routes"/> say.</summary>
    protected async Task<IPAddress> WellKnownHost(string name, Action<Lab.Hosts.LabRoutes> routes)
    {
        var address = FederationLab.NewAddress();
        Lab.Zone.A(name, address.ToString());
        await Lab.HttpsAsync(address, 443, Lab.Pki.Issue(name), routes);
        return address;
    }

    protected static IPAddress Address(string name, FederationLab lab)
    {
        var address = FederationLab.NewAddress();
        lab.Zone.A(name, address.ToString());
        return address;
    }
}
