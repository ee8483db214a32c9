using System.Net;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Delay;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.Connections;

/// <summary>
/// The slowest servers still get a verdict after one timeout, not one per step: the fallback connection (port 8448
/// of the server name) is opened beside the well-known fetch, and the well-known files of one host share one
/// connection, so a timeout there is paid once. Asserted by causality (what waited for what), with a wide wall-clock
/// bound that only a second timeout in series would break.
/// </summary>
public sealed class WorstCaseTests : LabTest
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_blackholed_server_gets_its_verdict_after_one_connect_timeout()
    {
        var dead = FederationLab.NewAddress();
        Lab.Zone.A("example.test", dead.ToString());
        await Lab.BlackholeAsync(new IPEndPoint(dead, 443));
        await Lab.BlackholeAsync(new IPEndPoint(dead, 8448));

        var run = await Lab.DiagnoseAsync("example.test", o => (o.ConnectTimeout, o.RequestTimeout) = (ConnectTimeout, RequestTimeout));

        Assert.False(run.Report.Verdict.FederationOk);
        var connection = Assert.Single(run.Report.Connections);
        Assert.Equal(DiscoveryStep.DefaultPort, connection.Endpoint.Step);
        Assert.Contains(connection.Findings, f => f.Id == "net.timeout");
        Assert.Equal(WellKnownOutcome.Timeout, run.Report.Discovery!.WellKnown.Outcome);
        // Causality: the :8448 connect was already waiting out its timeout while the well-known one did; in series
        // its failure would come a whole connect timeout after the well-known's.
        var wellKnownAt = run.Events.OfType<WellKnownEvent>().Single().At;
        var connectionAt = run.Events.OfType<ConnectionEvent>().Single().At;
        Assert.True(connectionAt - wellKnownAt < ConnectTimeout / 2, $"The :8448 verdict came {(connectionAt - wellKnownAt).TotalSeconds:0.00} s after the well-known timeout.");
        var completed = run.Events.OfType<CompletedEvent>().Single();
        Assert.True(completed.At < 2 * ConnectTimeout, $"The verdict took {completed.At.TotalSeconds:0.00} s: two connect timeouts in series.");
        Assert.Same(completed, run.Events[^1]); // every other finding streamed before the verdict
    }

    [Fact]
    public async Task A_dripping_well_known_costs_one_request_timeout()
    {
        var web = FederationLab.NewAddress();
        Lab.Zone.A("example.test", web.ToString());
        var drip = TimeSpan.FromMilliseconds(100);
        var host = await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("example.test"), r => r
            .Drip("/.well-known/matrix/server", drip).Drip("/.well-known/matrix/client", drip).Drip("/.well-known/matrix/support", drip));
        await Lab.HttpsAsync(web, 8448, Lab.Pki.Issue("example.test"), r => r.Homeserver("example.test", LabSigningKey.Create("ed25519:drip")));

        var run = await Lab.DiagnoseAsync("example.test", o => (o.ConnectTimeout, o.RequestTimeout) = (ConnectTimeout, RequestTimeout));

        Assert.True(run.Report.Verdict.FederationOk, string.Join("\n", run.Findings.Select(f => $"{f.Id}: {f.Summary}")));
        Assert.Equal(WellKnownOutcome.Timeout, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Equal(DiscoveryStep.DefaultPort, Assert.Single(run.Report.Connections).Endpoint.Step);
        // The three files shared one connection and one request timeout: none was asked again on a second one.
        Assert.Equal(1, host.Handshakes);
        Assert.Equal(3, host.RequestLog.Count);
        var completed = run.Events.OfType<CompletedEvent>().Single();
        Assert.True(completed.At < 2 * RequestTimeout, $"The verdict took {completed.At.TotalSeconds:0.00} s: more than one request timeout.");
    }
}
