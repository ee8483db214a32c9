using System.Net;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>Issue 10, rule 7: a speculative connection closed while idle is retried once on a fresh one.</summary>
public sealed class SpeculativeRetryVerdictTests : LabTest
{
    [Fact]
    public async Task A_front_end_that_closes_the_idle_speculative_connection_does_not_make_federation_look_broken()
    {
        // The SRV target is connected to while .well-known is fetched; the well-known is slow, and the front end in
        // front of the homeserver drops the connection after 300 ms without a request.
        var web = FederationLab.NewAddress();
        Lab.Zone.A("example.test", web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("example.test"), r => r.Map("/.well-known/matrix/server", async context =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1200), context.RequestAborted);
            context.Response.StatusCode = 404;
        }));
        var published = new IPEndPoint(FederationLab.NewAddress(), 8448);
        var backend = FederationLab.NewAddress();
        await Lab.HttpsAsync(backend, 8448, Lab.Pki.Issue("example.test"), r => r.Homeserver("example.test", LabSigningKey.Create("ed25519:spec")));
        var proxy = Lab.Own(new IdleClosingProxy(published, new IPEndPoint(backend, 8448), TimeSpan.FromMilliseconds(300)));
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "hs.example.test", 8448).A("hs.example.test", published.Address.ToString());

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
        AssertNo(run, "net.connection_reset");
        Assert.Equal(2, proxy.Connections); // the speculative one (dropped) and the retry
        var requests = Assert.Single(run.Report.Connections).Requests;
        Assert.All(requests, r => Assert.Equal(200, r.Status));
    }
}
