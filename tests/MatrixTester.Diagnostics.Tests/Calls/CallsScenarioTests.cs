using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Calls;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Calls;

/// <summary>
/// Calls (MatrixRTC) readiness against lab homeservers: a fully working setup is Ready with every part checked; each
/// broken part gives its own finding and verdict, and none of them changes the federation verdict.
/// </summary>
public sealed class CallsScenarioTests : LabTest
{
    private const string Name = "calls.example.test";

    private async Task<LabRun> Run(LabCallsServer server)
    {
        await server.StartAsync();
        return await Lab.DiagnoseAsync(server.ServerName);
    }

    private static MatrixRtcReport Rtc(LabRun run) => run.Report.MatrixRtc ?? throw new InvalidOperationException("no matrixRtc in the report");

    [Fact]
    public async Task A_fully_working_setup_is_ready_with_every_part_checked()
    {
        var server = new LabCallsServer(Lab, Name);
        var run = await Run(server);

        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
        Assert.DoesNotContain(run.Findings, f => f.Id.StartsWith("rtc.", StringComparison.Ordinal) || f.Id.StartsWith("auth.", StringComparison.Ordinal));
        var rtc = Rtc(run);
        Assert.Equal(MatrixRtcStatus.Ready, rtc.Status);
        var transport = Assert.Single(rtc.Transports);
        Assert.Equal(new RtcTransport("livekit", server.ServiceUrl, null, RtcTransportSource.TransportsEndpoint), transport);
        Assert.Equal([TransportsEndpointOutcome.Listed, TransportsEndpointOutcome.Off], rtc.TransportsEndpoints.Select(p => p.Outcome));
        var service = Assert.Single(rtc.Services);
        Assert.Equal(server.ServiceUrl, service.Url);
        Assert.True(service.Reachable);
        Assert.Equal((200, 405, 405, 200), (service.HealthzStatus, service.GetTokenStatus, service.LegacyTokenStatus, service.PreflightStatus));
        Assert.Equal((TokenRoutes.Present, CorsOutcome.Ok, "*"), (service.TokenRoutes, service.Cors, service.AllowOrigin));
        Assert.Null(service.Problem);
        Assert.Equal(new RtcPrerequisites(true, true, true, UserinfoOutcome.Routed), rtc.Prerequisites! with { UserinfoUrl = null, UserinfoStatus = null, UserinfoErrcode = null });
        Assert.Equal((401, "M_MISSING_TOKEN"), (rtc.Prerequisites!.UserinfoStatus, rtc.Prerequisites.UserinfoErrcode));
        Assert.Equal(MatrixTester.Diagnostics.RtcToken.TokenCheckStatus.NotConfigured, rtc.TokenCheck!.Status);
        Assert.StartsWith("Calls are ready: the transports endpoint lists the call transports", rtc.Summary, StringComparison.Ordinal);
        Assert.Equal(["/livekit/jwt/healthz", "/livekit/jwt/get_token", "/livekit/jwt/sfu/get", "/livekit/jwt/get_token"],
            server.ServiceHost!.RequestLog.Select(l => l.Split(' ')[1]));
        Assert.Contains(rtc.Requests, r => r.Method == "OPTIONS");
    }

    [Fact]
    public async Task The_calls_event_streams_after_client_discovery_and_before_the_report()
    {
        var run = await Run(new LabCallsServer(Lab, Name));
        var stages = run.Events.Select(e => e.Stage).ToList();
        var calls = Assert.Single(run.Events.OfType<MatrixRtcEvent>());
        Assert.True(stages.IndexOf("client") < stages.IndexOf("calls"));
        Assert.Equal("done", stages[^1]);
        Assert.Equal(MatrixRtcStatus.Ready, calls.MatrixRtc.Status);
        Assert.Equal(calls.MatrixRtc.Summary, calls.Summary);
        Assert.All(calls.MatrixRtc.Requests, r => Assert.Empty(r.Body));
    }

    [Fact]
    public async Task Synapse_that_needs_a_token_for_transports_is_ready_through_the_well_known_foci()
    {
        var server = new LabCallsServer(Lab, Name) { Transports = TransportsAnswer.NeedsToken, WellKnownFoci = true };
        var run = await Run(server);
        var rtc = Rtc(run);
        Assert.Equal(MatrixRtcStatus.Ready, rtc.Status);
        Assert.Equal(TransportsEndpointOutcome.NeedsToken, rtc.TransportsEndpoints[0].Outcome);
        Assert.Equal((401, "M_MISSING_TOKEN"), (rtc.TransportsEndpoints[0].Status, rtc.TransportsEndpoints[0].Errcode));
        Assert.Equal(RtcTransportSource.WellKnown, Assert.Single(rtc.Transports).Source);
        Assert.True(Assert.Single(rtc.Services).Reachable);
        Assert.StartsWith("Calls are ready: the transports endpoint exists (it lists transports to signed-in users only)", rtc.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_that_needs_a_token_with_no_other_list_is_offered_but_its_services_are_not_checked()
    {
        var server = new LabCallsServer(Lab, Name) { Transports = TransportsAnswer.NeedsToken };
        var run = await Run(server);
        var rtc = Rtc(run);
        Assert.Equal(MatrixRtcStatus.Ready, rtc.Status);
        Assert.Empty(rtc.Transports);
        Assert.Empty(rtc.Services);
        Assert.Empty(server.ServiceHost!.RequestLog);
        Assert.Contains("no authorization service URL could be read without a signed-in user", rtc.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_call_infrastructure_is_not_offered_as_a_note()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { Transports = TransportsAnswer.NotFound, NoCalls = true });
        var rtc = Rtc(run);
        Assert.Equal(MatrixRtcStatus.NotOffered, rtc.Status);
        AssertFinding(run, "rtc.not_offered", Severity.Info, Name);
        Assert.Equal(TransportsEndpointOutcome.Off, rtc.TransportsEndpoints[0].Outcome);
        Assert.Equal(UserinfoOutcome.NotChecked, rtc.Prerequisites!.OpenIdUserinfo);
        AssertNo(run, "rtc.delayed_events_missing");
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
    }

    [Fact]
    public async Task Transports_only_in_the_well_known_are_partial_for_current_clients()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { Transports = TransportsAnswer.Unrecognized, WellKnownFoci = true });
        var rtc = Rtc(run);
        Assert.Equal(MatrixRtcStatus.Partial, rtc.Status);
        var finding = AssertFinding(run, "rtc.legacy_foci_only", Severity.Warning, Name);
        Assert.Contains("400 M_UNRECOGNIZED", finding.Detail, StringComparison.Ordinal);
        Assert.True(Assert.Single(rtc.Services).Reachable);
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
    }

    [Fact]
    public async Task Missing_delayed_events_make_calls_partial()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { DelayedEvents = false });
        Assert.Equal(MatrixRtcStatus.Partial, Rtc(run).Status);
        Assert.False(Rtc(run).Prerequisites!.DelayedEvents);
        AssertFinding(run, "rtc.delayed_events_missing", Severity.Warning, Name);
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
    }

    [Fact]
    public async Task A_userinfo_route_that_does_not_reach_the_homeserver_breaks_calls()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { UserinfoRouted = false });
        var rtc = Rtc(run);
        Assert.Equal(MatrixRtcStatus.Broken, rtc.Status);
        Assert.Equal((UserinfoOutcome.NotRouted, 404), (rtc.Prerequisites!.OpenIdUserinfo, rtc.Prerequisites.UserinfoStatus));
        var finding = AssertFinding(run, "rtc.userinfo_not_routed", Severity.Error);
        Assert.Contains("/_matrix/federation/v1/openid/userinfo", finding.Detail, StringComparison.Ordinal);
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
    }
}
