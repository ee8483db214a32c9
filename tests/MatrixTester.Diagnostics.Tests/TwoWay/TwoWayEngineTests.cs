using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>
/// The engine's two-way stage end to end in the lab, against a scripted target (C#) that verifies our X-Matrix
/// signature with the key it fetched from our lab key endpoint over TLS.
/// </summary>
public sealed class TwoWayEngineTests : LabTest
{
    private async Task<(LabRun Run, ScriptedTarget Target, LabIdentity Identity)> RunAsync(TargetFault fault, LabIdentity? identity = null)
    {
        identity ??= await LabIdentity.StartAsync(Lab);
        ScriptedTarget target = null!;
        // The routes are added when the server starts, by then the target (which needs the server's key) exists.
        var server = new LabServer(Lab) { Homeserver = routes => target.Map(routes) };
        target = new ScriptedTarget(identity, server.Key, server.ServerName, fault, () => server.HomeserverAddress);
        await server.StartAsync();
        return (await DiagnoseAsync(server.ServerName, identity), target, identity);
    }

    private async Task<LabRun> DiagnoseAsync(string serverName, IFederationIdentity? identity)
    {
        var events = new List<DiagnosisEvent>();
        await foreach (var e in DiagnosisEngine.Create(Lab.Options(), TimeProvider.System, identity).RunAsync(serverName, CancellationToken.None))
        {
            events.Add(e);
        }
        return new LabRun(events.OfType<CompletedEvent>().Single().Report, events);
    }

    private static string Ids(LabRun run) => string.Join(", ", run.Findings.Select(f => f.Id)) + " / " + run.Report.TwoWay?.Summary;

    [Fact]
    public async Task A_healthy_target_fetches_our_probe_key_and_accepts_the_signed_request()
    {
        var (run, target, identity) = await RunAsync(TargetFault.None);
        var twoWay = run.Report.TwoWay!;
        Assert.True(twoWay.Status == TwoWayStatus.Works, Ids(run));
        Assert.StartsWith("ed25519:p", twoWay.ProbeKeyId, StringComparison.Ordinal);
        Assert.Equal((404, "M_NOT_FOUND"), (twoWay.SignedRequest!.Status, twoWay.SignedRequest.Errcode));
        Assert.Equal(("Verified", true, true), (twoWay.Notary!.Outcome, twoWay.Notary.SignedByUs, twoWay.Notary.SignedByTarget));
        // The signed URI reached the target byte for byte, with the X-Matrix header naming our probe key; then the
        // control request, another alias with a signature by the same key that does not match it, which it refused.
        Assert.Equal(2, target.Received.Count);
        var (authorization, rawTarget) = target.Received[0];
        var (controlAuthorization, controlTarget) = target.Received[1];
        Assert.NotEqual(rawTarget, controlTarget);
        Assert.Contains($"key=\"{twoWay.ProbeKeyId}\"", controlAuthorization, StringComparison.Ordinal);
        Assert.Equal(("Rejected", 401, "M_UNAUTHORIZED"), (twoWay.ControlRequest!.Outcome, twoWay.ControlRequest.Status, twoWay.ControlRequest.Errcode));
        Assert.EndsWith(controlTarget, twoWay.ControlRequest.Url, StringComparison.Ordinal);
        Assert.Equal(1, identity.Released);
        Assert.Equal(twoWay.SignedRequest.SignedUri, rawTarget);
        Assert.Matches("^/_matrix/federation/v1/query/directory\\?room_alias=%23matrixtester-[0-9a-f]{12}%3Aexample.test$", rawTarget);
        Assert.Contains($"origin=\"{identity.ServerName}\",destination=\"example.test\",key=\"{twoWay.ProbeKeyId}\"", authorization, StringComparison.Ordinal);
        // One fetch for the signed request, one for the notary query; both streamed as they happened.
        Assert.Equal(2, twoWay.Inbound.Count);
        Assert.All(twoWay.Inbound, i => Assert.Equal(("IPv4", identity.ServerName, "ScriptedTarget/1.0"), (i.AddressFamily, i.Sni, i.UserAgent)));
        var stream = run.Events.Where(e => e.Stage.StartsWith("two-way", StringComparison.Ordinal)).ToList();
        Assert.IsType<TwoWayWaitingEvent>(stream[0]);
        Assert.Equal(2, stream.OfType<TwoWayInboundEvent>().Count());
        Assert.IsType<TwoWayEvent>(stream[^1]);
        Assert.Matches("^Your server fetched our key from 127\\.[0-9.]+ over IPv4 \\(ScriptedTarget/1\\.0\\) after \\d+ ms$", stream[1].Summary);
        Assert.DoesNotContain(run.Findings, f => f.Id.StartsWith("twoway.", StringComparison.Ordinal));
        Assert.True(run.Report.Verdict.FederationOk);
    }

    [Theory]
    [InlineData(TargetFault.OutboundBlocked, TwoWayStatus.Broken, "twoway.outbound_blocked")]
    [InlineData(TargetFault.DropsAuthorization, TwoWayStatus.Broken, "twoway.auth_header_missing")]
    [InlineData(TargetFault.RewritesPath, TwoWayStatus.Broken, "twoway.request_altered")]
    [InlineData(TargetFault.NoNotary, TwoWayStatus.Works, "twoway.notary_unsupported")]
    [InlineData(TargetFault.FetchesFromOtherAddress, TwoWayStatus.Works, "twoway.fetched_via_notary")]
    [InlineData(TargetFault.Stub, TwoWayStatus.Broken, "twoway.signature_not_checked")]
    public async Task Each_fault_gives_its_status_and_finding_and_leaves_the_federation_verdict_alone(TargetFault fault, TwoWayStatus status, string id)
    {
        var (run, _, _) = await RunAsync(fault);
        Assert.True(run.Report.TwoWay!.Status == status, Ids(run));
        Assert.True(run.Has(id), Ids(run));
        Assert.Single(run.Findings, f => f.Id.StartsWith("twoway.", StringComparison.Ordinal));
        Assert.True(run.Report.Verdict.FederationOk, Ids(run));
        Assert.Equal(run.Finding(id).Summary, run.Events.OfType<TwoWayEvent>().Single().Findings.Single().Summary);
    }

    [Fact]
    public async Task A_stub_that_answers_everything_alike_is_broken_and_never_said_to_have_fetched_our_key()
    {
        var (run, target, _) = await RunAsync(TargetFault.Stub);
        var twoWay = run.Report.TwoWay!;
        Assert.True(twoWay.Status == TwoWayStatus.Broken, Ids(run));
        Assert.Equal(("Accepted", 404, "M_NOT_FOUND"), (twoWay.ControlRequest!.Outcome, twoWay.ControlRequest.Status, twoWay.ControlRequest.Errcode));
        Assert.Empty(twoWay.Inbound);
        Assert.DoesNotContain("fetched our key", twoWay.Summary, StringComparison.Ordinal);
        Assert.Equal(2, target.Received.Count);
    }

    [Fact]
    public async Task A_control_request_without_a_telling_answer_leaves_the_result_unknown_not_working()
    {
        var (run, _, _) = await RunAsync(TargetFault.LimitsSecondRequest);
        var twoWay = run.Report.TwoWay!;
        Assert.True(twoWay.Status == TwoWayStatus.Skipped, Ids(run));
        Assert.Equal(("Inconclusive", 429), (twoWay.ControlRequest!.Outcome, twoWay.ControlRequest.Status));
        Assert.Contains("whether it checks signatures is unknown", twoWay.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Findings, f => f.PartOf() == ReportPart.TwoWay);
    }

    [Fact]
    public async Task A_target_that_hangs_on_the_signed_request_without_fetching_our_key_is_broken_not_skipped()
    {
        var (run, target, _) = await RunAsync(TargetFault.OutboundHangs);
        var twoWay = run.Report.TwoWay!;
        Assert.True(twoWay.Status == TwoWayStatus.Broken, Ids(run));
        Assert.True(twoWay.SignedRequest!.TimedOut, Ids(run));
        Assert.Contains("never fetched our key", run.Finding("twoway.outbound_blocked").Summary, StringComparison.Ordinal);
        // The notary query would hang the same way: it is not sent, and the check ends within its budget.
        Assert.Null(twoWay.Notary);
        Assert.Single(target.Received);
        Assert.Empty(twoWay.Inbound);
        Assert.False(run.Report.TimedOut);
        Assert.True(run.Report.Verdict.FederationOk, Ids(run));
    }

    [Fact]
    public async Task Without_an_identity_the_check_is_not_configured()
    {
        var server = await new LabServer(Lab).StartAsync();
        var run = await DiagnoseAsync(server.ServerName, identity: null);
        Assert.Equal(TwoWayStatus.NotConfigured, run.Report.TwoWay!.Status);
        Assert.Equal(Severity.Info, run.Finding("twoway.not_configured").Severity);
        Assert.Equal(VerdictStatus.Works, run.Report.Verdict.Status);
    }

    [Fact]
    public async Task A_second_diagnosis_within_a_minute_reuses_the_probe()
    {
        var (first, _, identity) = await RunAsync(TargetFault.None);
        var second = await DiagnoseAsync("example.test", identity);
        Assert.Equal(first.Report.TwoWay!.ProbeKeyId, second.Report.TwoWay!.ProbeKeyId);
        Assert.Equal(TwoWayStatus.Works, second.Report.TwoWay.Status);
        Assert.Equal((false, true), (first.Report.TwoWay.ProbeReused, second.Report.TwoWay.ProbeReused));
        // The second check says so while it waits, and lists the fetches the first one caused.
        Assert.Contains("reusing the probe key", second.Events.OfType<TwoWayWaitingEvent>().Single().Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("reusing", first.Events.OfType<TwoWayWaitingEvent>().Single().Summary, StringComparison.Ordinal);
        Assert.True(second.Report.TwoWay.Inbound.Count >= first.Report.TwoWay.Inbound.Count);
        // Each check released the probe it held.
        Assert.Equal(2, identity.Released);
    }
}
