using System.Net;
using MatrixTester.Lab;
using MatrixTester.Lab.Delay;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.Connections;

/// <summary>
/// While .well-known is fetched, the server name's SRV targets are connected to speculatively (TCP + TLS, no
/// request). The connection is used when discovery picks the target, and nothing is ever sent when it does not.
/// </summary>
public sealed class SpeculativeConnectionTests : IAsyncLifetime
{
    private FederationLab _lab = null!;
    private readonly LabSigningKey _key = LabSigningKey.Create("ed25519:spec");

    public async ValueTask InitializeAsync() => _lab = await FederationLab.StartAsync();

    public async ValueTask DisposeAsync() => await _lab.DisposeAsync();

    /// <summary>A homeserver behind a zero-delay proxy, which counts the TCP connections made to it.</summary>
    private async Task<(LabHttpsHost Host, DelayProxy Proxy)> SrvTarget(string certificateName)
    {
        var published = new IPEndPoint(FederationLab.NewAddress(), 8448);
        _lab.Zone.Srv("_matrix-fed._tcp.example.test", "hs.example.test", 8448).A("hs.example.test", published.Address.ToString());
        return await _lab.DelayedHttpsAsync(published, TimeSpan.Zero, _lab.Pki.Issue(certificateName), r => r.Homeserver("example.test", _key));
    }

    [Fact]
    public async Task Without_well_known_the_SRV_target_is_checked_over_the_one_connection_opened_during_discovery()
    {
        var web = FederationLab.NewAddress();
        _lab.Zone.A("example.test", web.ToString());
        await _lab.HttpsAsync(web, 443, _lab.Pki.Issue("example.test"), _ => { });
        var (host, proxy) = await SrvTarget("example.test");

        var run = await _lab.DiagnoseAsync("example.test");

        Assert.True(run.Report.Verdict.FederationOk, string.Join("\n", run.Findings.Select(f => $"{f.Id}: {f.Summary}")));
        Assert.Equal(1, proxy.Connections);
        Assert.Equal(["example.test /_matrix/key/v2/server", "example.test /_matrix/federation/v1/version"], host.RequestLog);
        Assert.Equal([true, false], Assert.Single(run.Report.Connections).Requests.Select(r => r.NewConnection));
    }

    [Fact]
    public async Task When_well_known_delegates_the_speculative_SRV_target_receives_no_request()
    {
        var web = FederationLab.NewAddress();
        var delegated = FederationLab.NewAddress();
        _lab.Zone.A("example.test", web.ToString()).A("matrix.example.test", delegated.ToString());
        await _lab.HttpsAsync(web, 443, _lab.Pki.Issue("example.test"), r => r.Delegate("matrix.example.test:443"));
        var homeserver = await _lab.HttpsAsync(delegated, 443, _lab.Pki.Issue("matrix.example.test"), r => r.Homeserver("example.test", _key));
        var (srvHost, _) = await SrvTarget("example.test");

        var run = await _lab.DiagnoseAsync("example.test");

        Assert.True(run.Report.Verdict.FederationOk);
        Assert.Equal(delegated, Assert.Single(run.Report.Connections).Endpoint.Address);
        Assert.Empty(srvHost.RequestLog);
        Assert.Equal(2, homeserver.RequestLog.Count);
    }
}
