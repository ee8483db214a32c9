using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Federation;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.Connections;

/// <summary>
/// Without SRV records, port 8448 of the server name is where federation goes if .well-known fails, so it is
/// connected to beside the well-known fetch; when the well-known delegates elsewhere that connection is closed at
/// once, unused, while the rest of the diagnosis is still running.
/// </summary>
public sealed class FallbackSpeculationTests : LabTest
{
    [Fact]
    public async Task The_speculative_8448_connection_is_closed_unused_as_soon_as_the_well_known_delegates()
    {
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        Lab.Zone.A("example.test", web.ToString()).A("matrix.example.test", hs.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("example.test"), r => r.Delegate("matrix.example.test:443"));
        var fallback = new StalledTlsListener();
        Lab.Raw(web, 8448, fallback.HandleAsync);
        // The federation check waits for the test, so the run is provably still going when the fallback closes.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Lab.HttpsAsync(hs, 443, Lab.Pki.Issue("matrix.example.test"), r => r.Homeserver("example.test", LabSigningKey.Create("ed25519:fb"))
            .Map("/_matrix/federation/v1/version", async context =>
            {
                await release.Task.WaitAsync(context.RequestAborted);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"server": {"name": "Synapse", "version": "1.140.0"}}""", context.RequestAborted);
            }));

        var run = Lab.DiagnoseAsync("example.test", o => (o.RequestTimeout, o.OverallDeadline) = (TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)));
        await fallback.HelloReceived.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(await fallback.AllClosedWithinAsync(TimeSpan.FromSeconds(5)), "The speculative connection to :8448 stayed open after the well-known delegated.");
        Assert.False(run.IsCompleted);
        release.SetResult();
        var result = await run;
        Assert.Equal(VerdictStatus.Works, result.Report.Verdict.Status);
        Assert.Equal(1, fallback.Accepted);
    }

    [Fact]
    public async Task The_speculative_8448_connection_is_never_dialled_to_an_address_the_policy_refuses()
    {
        var web = FederationLab.NewAddress();
        var internalAddress = FederationLab.NewAddress();
        Lab.Zone.A("example.test", web.ToString()).A("example.test", internalAddress.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("example.test"), _ => { });
        await Lab.HttpsAsync(web, 8448, Lab.Pki.Issue("example.test"), r => r.Homeserver("example.test", LabSigningKey.Create("ed25519:fb")));
        var refused = new StalledTlsListener();
        Lab.Raw(internalAddress, 8448, refused.HandleAsync);

        var run = await Lab.DiagnoseAsync("example.test", o =>
        {
            o.AllowPrivateNetworks = false;
            o.AllowedNetworks.Add($"{web}/32");
        });

        Assert.Equal(2, run.Report.Connections.Count);
        Assert.Contains(run.Findings, f => f.Id == "net.address_refused" && (f.Subject ?? "").Contains(internalAddress.ToString(), StringComparison.Ordinal));
        Assert.Equal(0, refused.Accepted);
    }
}
