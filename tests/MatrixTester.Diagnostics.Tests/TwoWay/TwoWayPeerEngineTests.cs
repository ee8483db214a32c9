using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab;
using MatrixTester.Lab.Peer;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>
/// The engine's two-way check against the lab peer: a node target that verifies our X-Matrix signature with
/// @rocket.chat/federation-sdk (an implementation independent of ours), fetching our probe key over TLS from the
/// lab identity's key endpoint through the lab DNS.
/// </summary>
public sealed class TwoWayPeerEngineTests : LabTest
{
    private async Task<(LabRun Run, LabFederationPeer Peer, LabIdentity Identity)> RunAsync(PeerFault fault)
    {
        PeerLab.RequireNode();
        var identity = await LabIdentity.StartAsync(Lab);
        var peer = await LabFederationPeer.StartAsync(Lab, PeerLab.PeerName, fault);
        var events = new List<DiagnosisEvent>();
        await foreach (var e in DiagnosisEngine.Create(Lab.Options(), TimeProvider.System, identity).RunAsync(peer.ServerName, CancellationToken.None))
        {
            events.Add(e);
        }
        return (new LabRun(events.OfType<CompletedEvent>().Single().Report, events), peer, identity);
    }

    private static string Explain(LabRun run, LabFederationPeer peer) =>
        $"{string.Join(", ", run.Findings.Select(f => f.Id))} / {run.Report.TwoWay?.Summary}\n{peer.Output}";

    [Fact]
    public async Task The_peer_fetches_our_probe_key_verifies_our_signature_and_countersigns_it_as_a_notary()
    {
        var (run, peer, identity) = await RunAsync(PeerFault.None);
        var twoWay = run.Report.TwoWay!;
        Assert.True(twoWay.Status == TwoWayStatus.Works, Explain(run, peer));
        Assert.Equal((404, "M_NOT_FOUND"), (twoWay.SignedRequest!.Status, twoWay.SignedRequest.Errcode));
        Assert.True(twoWay.Notary is { Outcome: "Verified", SignedByUs: true, SignedByTarget: true }, twoWay.Notary?.Detail);
        // The SDK refuses the control request's wrong signature, as a homeserver must.
        Assert.True(twoWay.ControlRequest is { Outcome: "Rejected", Status: 401 }, Explain(run, peer));
        Assert.NotEmpty(twoWay.Inbound);
        Assert.All(twoWay.Inbound, i => Assert.Equal((peer.EndPoint.Address.ToString(), "IPv4", identity.ServerName), (i.RemoteAddress, i.AddressFamily, i.Sni)));
        Assert.Contains(run.Events.OfType<TwoWayInboundEvent>(), e => e.Summary.StartsWith($"Your server fetched our key from {peer.EndPoint.Address} over IPv4", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Findings, f => f.PartOf() == ReportPart.TwoWay);
    }

    [Theory]
    [InlineData(PeerFault.OutboundBlocked, TwoWayStatus.Broken, "twoway.outbound_blocked")]
    [InlineData(PeerFault.DropsAuthorization, TwoWayStatus.Broken, "twoway.auth_header_missing")]
    [InlineData(PeerFault.RewritesPath, TwoWayStatus.Broken, "twoway.request_altered")]
    [InlineData(PeerFault.NoNotary, TwoWayStatus.Works, "twoway.notary_unsupported")]
    [InlineData(PeerFault.FetchesFromOtherAddress, TwoWayStatus.Works, "twoway.fetched_via_notary")]
    [InlineData(PeerFault.Stub, TwoWayStatus.Broken, "twoway.signature_not_checked")]
    public async Task Each_peer_fault_gives_its_status_and_finding(PeerFault fault, TwoWayStatus status, string id)
    {
        var (run, peer, _) = await RunAsync(fault);
        Assert.True(run.Report.TwoWay!.Status == status, Explain(run, peer));
        Assert.True(run.Has(id), Explain(run, peer));
        Assert.Single(run.Findings, f => f.PartOf() == ReportPart.TwoWay);
        // The peer's keys are valid for an hour only (a warning); the two-way result never makes the verdict broken.
        Assert.NotEqual(VerdictStatus.Broken, run.Report.Verdict.Status);
    }
}
