using System.Net;
using System.Text.Json;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>SRV targets are judged as peers use them (in order, first that connects).</summary>
public sealed class SrvTargetVerdictTests : LabTest
{
    private readonly LabSigningKey _key = LabSigningKey.Create("ed25519:srv");

    /// <summary>A healthy homeserver for example.test on <paramref name="address"/>:8448.</summary>
    private Task<LabHttpsHost> Homeserver(IPAddress address) =>
        Lab.HttpsAsync(address, 8448, Lab.Pki.Issue("example.test"), r => r.Homeserver("example.test", _key));

    [Fact]
    public async Task A_first_SRV_target_whose_name_does_not_resolve_while_the_next_one_works()
    {
        var live = FederationLab.NewAddress();
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "dead.example.test", 8448, priority: 10)
            .Srv("_matrix-fed._tcp.example.test", "live.example.test", 8448, priority: 20)
            .A("live.example.test", live.ToString());
        await Homeserver(live);

        var run = await Lab.DiagnoseAsync("example.test");

        // Go's tester only notes the lookup error under Hosts; it does not count towards FederationOK.
        var go = AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
        AssertFinding(run, "srv.target_skipped", Severity.Warning, "dead.example.test");
        AssertNo(run, "srv.target_unresolvable");
        Assert.Equal(JsonValueKind.Object, go.GetProperty("DNSResult").GetProperty("Hosts").GetProperty("dead.example.test.").GetProperty("Error").ValueKind);
        Assert.Equal(live, Assert.Single(run.Report.Discovery!.Endpoints).Address);
    }

    [Fact]
    public async Task A_first_SRV_target_that_refuses_connections_while_the_next_one_works()
    {
        var refusing = FederationLab.NewAddress(); // nothing listens on its port 8448
        var live = FederationLab.NewAddress();
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "old.example.test", 8448, priority: 10)
            .Srv("_matrix-fed._tcp.example.test", "live.example.test", 8448, priority: 20)
            .A("old.example.test", refusing.ToString()).A("live.example.test", live.ToString());
        await Homeserver(live);

        var run = await Lab.DiagnoseAsync("example.test");

        // Peers fall back to the next target; Go's rule counts every address, so its report says false.
        var go = AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: false);
        var finding = AssertFinding(run, "srv.target_unreachable", Severity.Warning, $"{refusing}:8448");
        Assert.Contains("live.example.test", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("refused", finding.Detail, StringComparison.OrdinalIgnoreCase);
        AssertNo(run, "net.connection_refused");
        Assert.True(go.GetProperty("ConnectionErrors").TryGetProperty($"{refusing}:8448", out _));
        Assert.True(Checks(go, $"{live}:8448").GetProperty("AllChecksOK").GetBoolean());
        Assert.True(run.Report.Verdict.IPv4);
    }

    [Fact]
    public async Task Every_SRV_target_refusing_connections_is_still_broken()
    {
        var a = FederationLab.NewAddress();
        var b = FederationLab.NewAddress();
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "a.example.test", 8448, priority: 10)
            .Srv("_matrix-fed._tcp.example.test", "b.example.test", 8448, priority: 20)
            .A("a.example.test", a.ToString()).A("b.example.test", b.ToString());

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.Broken, goFederationOk: false);
        AssertFinding(run, "net.connection_refused", Severity.Error, $"{a}:8448");
        AssertNo(run, "srv.target_unreachable");
    }

    [Fact]
    public async Task An_SRV_target_written_as_an_IP_address_is_probed_like_Synapse_does()
    {
        var address = FederationLab.NewAddress();
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", address.ToString(), 8448);
        await Homeserver(address);

        var run = await Lab.DiagnoseAsync("example.test");

        var go = AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
        AssertFinding(run, "srv.target_ip_literal", Severity.Warning, address.ToString());
        AssertNo(run, "srv.target_unresolvable");
        var endpoint = Assert.Single(run.Report.Discovery!.Endpoints);
        Assert.Equal((address, 8448, "example.test", DiscoveryStep.Srv), (endpoint.Address, endpoint.Port, endpoint.TlsName, endpoint.Step));
        Assert.Equal(address.ToString(), go.GetProperty("DNSResult").GetProperty("Hosts").GetProperty($"{address}.").GetProperty("Addrs")[0].GetString());
    }
}
