using System.Net;
using System.Text;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Dns;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>The server name's own addresses count only where discovery uses them.</summary>
public sealed class ServerNameAddressVerdictTests : LabTest
{
    private readonly LabSigningKey _key = LabSigningKey.Create("ed25519:apex");

    /// <summary>_matrix-fed._tcp.example.test → hs.example.test:8448, a healthy homeserver for example.test.</summary>
    private async Task<IPAddress> SrvHomeserver()
    {
        var hs = FederationLab.NewAddress();
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "hs.example.test", 8448).A("hs.example.test", hs.ToString());
        await Lab.HttpsAsync(hs, 8448, Lab.Pki.Issue("example.test"), r => r.Homeserver("example.test", _key));
        return hs;
    }

    [Fact]
    public async Task An_apex_with_only_MX_and_TXT_records_federates_through_SRV()
    {
        var hs = await SrvHomeserver();
        var txt = Encoding.ASCII.GetBytes("v=spf1 mx -all");
        byte[] mx = [0, 10, 4, .. "mail"u8, 7, .. "example"u8, 4, .. "test"u8, 0];
        Lab.Zone.Raw("example.test", 16, [(byte)txt.Length, .. txt]).Raw("example.test", 15, mx);

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
        AssertNo(run, "dns.no_addresses");
        AssertFinding(run, "dns.apex_not_needed", Severity.Info, "example.test");
        Assert.Equal(hs, Assert.Single(run.Report.Discovery!.Endpoints).Address);
    }

    [Fact]
    public async Task A_failed_address_lookup_of_the_apex_does_not_matter_when_SRV_answers()
    {
        await SrvHomeserver();
        Lab.Zone.Rcode("example.test", LabRcode.ServFail);

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
        AssertNo(run, "dns.servfail");
        var finding = AssertFinding(run, "dns.apex_not_needed", Severity.Info, "example.test");
        Assert.Contains("SERVFAIL", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_SRV_the_apex_without_addresses_is_still_an_error()
    {
        var txt = Encoding.ASCII.GetBytes("v=spf1 -all");
        Lab.Zone.Raw("example.test", 16, [(byte)txt.Length, .. txt]);

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.Broken, goFederationOk: false);
        AssertFinding(run, "dns.no_addresses", Severity.Error, "example.test");
        AssertNo(run, "dns.apex_not_needed");
    }

    [Fact]
    public async Task A_private_address_among_the_apex_addresses_is_skipped_as_peers_skip_it()
    {
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        Lab.Zone.A("example.test", web.ToString()).A("example.test", "10.20.30.40").A("matrix.example.test", hs.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("example.test"), r => r.Delegate("matrix.example.test:443"));
        await Lab.HttpsAsync(hs, 443, Lab.Pki.Issue("matrix.example.test"), r => r.Homeserver("example.test", _key));

        var run = await Lab.DiagnoseAsync("example.test", o =>
        {
            o.AllowPrivateNetworks = false;
            o.AllowedNetworks.Add($"{web}/32");
            o.AllowedNetworks.Add($"{hs}/32");
        });

        AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
        AssertFinding(run, "net.private_address_skipped", Severity.Warning, "10.20.30.40");
        AssertNo(run, "net.address_refused");
        Assert.Equal(WellKnownOutcome.Delegated, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Equal(web, Assert.Single(run.Report.Discovery.WellKnown.Attempts).Address);
    }
}
