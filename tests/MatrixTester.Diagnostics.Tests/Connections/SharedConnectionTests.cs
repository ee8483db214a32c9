using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.Connections;

/// <summary>
/// One connection per host: the server name's host serves the server, client and support well-known files over one
/// TLS connection, so a healthy delegated diagnosis costs three handshakes (that host, the federation endpoint, the
/// client API at base_url), counted by the lab's TLS hosts themselves.
/// </summary>
public sealed class SharedConnectionTests : LabTest
{
    [Fact]
    public async Task A_healthy_diagnosis_makes_exactly_three_TLS_handshakes()
    {
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        Lab.Zone.A("example.test", web.ToString()).A("matrix.example.test", hs.ToString());
        var webHost = await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("example.test"), r => r.Delegate("matrix.example.test:443")
            .ClientWellKnown("https://matrix.example.test")
            .Json("/.well-known/matrix/support", """{"contacts": [{"role": "m.role.admin", "matrix_id": "@admin:example.test"}]}"""));
        var homeserver = await Lab.HttpsAsync(hs, 443, Lab.Pki.Issue("matrix.example.test"), r => r.Homeserver("example.test", LabSigningKey.Create("ed25519:three")).ClientApi());

        var run = await Lab.DiagnoseAsync("example.test");

        Assert.Equal(Reports.VerdictStatus.Works, run.Report.Verdict.Status);
        Assert.Equal(3, webHost.RequestLog.Count);
        Assert.Equal(1, webHost.Handshakes);
        Assert.Equal(2, homeserver.Handshakes); // federation (key + version) and the client API
        var wellKnownFiles = run.Report.Client!.Requests.Concat(run.Report.Discovery!.WellKnown.Attempts.SelectMany(a => a.Requests))
            .Where(r => r.Url.Contains("/.well-known/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, wellKnownFiles.Count);
        Assert.Single(wellKnownFiles, r => r.NewConnection);
    }
}
