using System.Net;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>A speculative connection closed while idle is retried once on a fresh one.</summary>
public sealed class SpeculativeRetryVerdictTests : LabTest
{
    [Fact]
    public async Task A_front_end_that_closes_the_idle_speculative_connection_does_not_make_federation_look_broken()
    {
        // The SRV target is connected to while .well-known is fetched, and the front end in front of the homeserver
        // drops that connection after 300 ms without a request. The well-known answers only once it has: the
        // speculative connection was opened before the well-known answered, and is dead when it is first used.
        var published = new IPEndPoint(FederationLab.NewAddress(), 8448);
        var backend = FederationLab.NewAddress();
        await Lab.HttpsAsync(backend, 8448, Lab.Pki.Issue("example.test"), r => r.Homeserver("example.test", LabSigningKey.Create("ed25519:spec")));
        var proxy = Lab.Own(new IdleClosingProxy(published, new IPEndPoint(backend, 8448), TimeSpan.FromMilliseconds(300)));
        var web = FederationLab.NewAddress();
        Lab.Zone.A("example.test", web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("example.test"), r => r.Map("/.well-known/matrix/server", async context =>
        {
            await proxy.FirstDropped.WaitAsync(context.RequestAborted);
            context.Response.StatusCode = 404;
        }));
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "hs.example.test", 8448).A("hs.example.test", published.Address.ToString());

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
        AssertNo(run, "net.connection_reset");
        Assert.Equal(WellKnownOutcome.NotFound, run.Report.Discovery!.WellKnown.Outcome); // answered after the drop
        Assert.Equal(2, proxy.Connections); // the speculative one (dropped) and the retry
        var requests = Assert.Single(run.Report.Connections).Requests;
        Assert.All(requests, r => Assert.Equal(200, r.Status));
    }
}
