using System.Net;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>
/// The well-known, as peers read it: addresses disagree only when they send peers to different places;
/// a non-ASCII m.server is ignored by peers, not fatal.
/// </summary>
public sealed class WellKnownVerdictTests : LabTest
{
    private readonly LabSigningKey _key = LabSigningKey.Create("ed25519:wk");

    /// <summary>An address of example.test: port 443 as <paramref name="web"/> says, a healthy homeserver on 8448.</summary>
    private async Task<IPAddress> ServerNameAddress(string webCertificateName, Action<LabRoutes> web)
    {
        var address = FederationLab.NewAddress();
        Lab.Zone.A("example.test", address.ToString());
        await Lab.HttpsAsync(address, 443, Lab.Pki.Issue(webCertificateName), web);
        await Lab.HttpsAsync(address, 8448, Lab.Pki.Issue("example.test"), r => r.Homeserver("example.test", _key));
        return address;
    }

    [Fact]
    public async Task One_address_answers_404_and_another_is_a_different_virtual_host_with_another_certificate()
    {
        // Both mean "no delegation" to a peer, so both lead to port 8448 of example.test: not split-brain.
        var a = await ServerNameAddress("example.test", _ => { });
        var b = await ServerNameAddress("default-vhost.test", r => r.Json("/", "{}"));

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
        AssertNo(run, "wellknown.split_brain");
        var inconsistent = AssertFinding(run, "wellknown.inconsistent", Severity.Warning, "example.test");
        Assert.Contains(b.ToString(), inconsistent.Summary, StringComparison.Ordinal);
        AssertFinding(run, "wellknown.certificate_invalid", Severity.Warning, b.ToString());
        Assert.Equal([a, b], run.Report.Discovery!.Endpoints.Select(e => e.Address).Order(Comparer<IPAddress>.Create((x, y) => string.CompareOrdinal(x.ToString(), y.ToString()))));
        Assert.All(run.Report.Discovery.Endpoints, e => Assert.Equal(DiscoveryStep.DefaultPort, e.Step));
    }

    [Fact]
    public async Task One_address_answers_404_and_another_a_server_error()
    {
        await ServerNameAddress("example.test", _ => { });
        var b = await ServerNameAddress("example.test", r => r.Json("/.well-known/matrix/server", "{}", status: 503));

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
        AssertNo(run, "wellknown.split_brain");
        AssertFinding(run, "wellknown.inconsistent", Severity.Warning, "example.test");
        AssertFinding(run, "wellknown.http_error", Severity.Warning, b.ToString());
    }

    [Fact]
    public async Task One_address_delegates_and_another_answers_a_server_error_is_split_brain()
    {
        // Peers reaching the second address see no delegation and go to port 8448, where nothing listens.
        var a = FederationLab.NewAddress();
        var b = FederationLab.NewAddress();
        Lab.Zone.A("example.test", a.ToString()).A("example.test", b.ToString());
        await Lab.HttpsAsync(a, 443, Lab.Pki.Issue("example.test"), r => r.Delegate("matrix.example.test:443"));
        await Lab.HttpsAsync(b, 443, Lab.Pki.Issue("example.test"), r => r.Json("/.well-known/matrix/server", "{}", status: 500));
        var hs = FederationLab.NewAddress();
        Lab.Zone.A("matrix.example.test", hs.ToString());
        await Lab.HttpsAsync(hs, 443, Lab.Pki.Issue("matrix.example.test"), r => r.Homeserver("example.test", _key));

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.Broken, goFederationOk: false);
        var finding = AssertFinding(run, "wellknown.split_brain", Severity.Error, "example.test");
        Assert.Contains("matrix.example.test:443", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("no delegation", finding.Detail, StringComparison.Ordinal);
        AssertNo(run, "wellknown.inconsistent");
    }

    [Fact]
    public async Task A_non_ASCII_m_server_is_ignored_by_peers_who_go_on_with_port_8448()
    {
        var address = await ServerNameAddress("example.test", r => r.Delegate("bücher.example.test"));

        var run = await Lab.DiagnoseAsync("example.test");

        // Synapse falls through to step 4; the Go tester rejects the name (Error) and says FederationOK false.
        var go = AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: false);
        var finding = AssertFinding(run, "wellknown.m_server_non_ascii", Severity.Warning, address.ToString());
        Assert.Contains("ignore", finding.Summary, StringComparison.Ordinal);
        AssertNo(run, "wellknown.invalid_m_server");
        Assert.Equal(WellKnownOutcome.NonAsciiMServer, run.Report.Discovery!.WellKnown.Outcome);
        var endpoint = Assert.Single(run.Report.Discovery.Endpoints);
        Assert.Equal((address, 8448, DiscoveryStep.DefaultPort), (endpoint.Address, endpoint.Port, endpoint.Step));
        Assert.Contains("bücher.example.test", go.GetProperty("Error").GetString(), StringComparison.Ordinal);
    }
}
