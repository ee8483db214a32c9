using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Diagnostics.Tests.TwoWay;
using MatrixTester.Lab;
using MatrixTester.Lab.Rtc;

namespace MatrixTester.Diagnostics.Tests.RtcToken;

/// <summary>
/// The engine's call token check against the lab's stand-ins: a node authorization service that verifies our test
/// user's OpenID token by calling our userinfo endpoint over federation (lab DNS and TLS) and mints a LiveKit token
/// with livekit-server-sdk, and an SFU that checks it with its own secret.
/// </summary>
public sealed class TokenCheckEngineTests : LabTest
{
    private async Task<(LabRun Run, LabRtcService Service, LabOpenIdIssuer Issuer)> RunAsync(RtcFault fault, bool roomAutoCreate = true)
    {
        PeerLab.RequireNode();
        var issuer = await LabOpenIdIssuer.StartAsync(Lab);
        var service = await LabRtcService.StartAsync(Lab, fault, roomAutoCreate: roomAutoCreate, cancellationToken: TestContext.Current.CancellationToken);
        await RtcTarget.StartAsync(Lab, service.ServiceUrl);
        var events = new List<DiagnosisEvent>();
        await foreach (var e in DiagnosisEngine.Create(Lab.Options(), TimeProvider.System, openId: issuer).RunAsync(RtcTarget.Name, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }
        return (new LabRun(events.OfType<CompletedEvent>().Single().Report, events), service, issuer);
    }

    private static string Explain(LabRun run, LabRtcService service) =>
        $"{string.Join(", ", run.Findings.Select(f => f.Id))} / {run.Report.MatrixRtc?.TokenCheck?.Summary} / {(run.Report.MatrixRtc?.TokenCheck?.Services is [var first, ..] ? first : null)}\n{service.Output}";

    [Fact]
    public async Task The_service_verifies_our_test_user_with_our_server_and_the_sfu_accepts_its_token()
    {
        var (run, service, issuer) = await RunAsync(RtcFault.None);
        var check = run.Report.MatrixRtc!.TokenCheck!;
        Assert.True(check.Status == TokenCheckStatus.Works, Explain(run, service));
        Assert.True(check.CallbackSeen);
        Assert.Equal($"wss://{service.SfuName}", check.SfuUrl);
        var asked = Assert.Single(check.Services);
        Assert.Equal(("/get_token", 200, "Works"), (asked.Endpoint, asked.Status, asked.Outcome));
        // The service's call-back came from its own address, with the token we gave it, for the user we named.
        var callback = Assert.Single(asked.Callbacks);
        Assert.Equal((0, service.ServiceAddress.ToString(), "IPv4"), (callback.Grant, callback.RemoteAddress, callback.AddressFamily));
        Assert.Equal(asked.UserId, (string?)(await service.WaitForAsync("token"))["user"]);
        // lk-jwt-service's room and identity hashes, computed by node and by us, agree.
        Assert.True(asked.Token is { MatchesRequest: true, RoomJoin: true, Algorithm: "HS256", Issuer: "lab-api-key" }, Explain(run, service));
        Assert.Equal((string?)(await service.WaitForAsync("token"))["identity"], asked.Token!.Identity);
        Assert.Equal((200, "success"), (asked.SfuValidation!.Status, asked.SfuValidation.Body));
        Assert.DoesNotContain("access_token", asked.SfuValidation.Url, StringComparison.Ordinal);
        Assert.Contains(run.Events.OfType<TokenCheckCallbackEvent>(),
            e => e.Summary.Contains($"the authorization service verified our test user (it asked our server from {service.ServiceAddress}", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Findings, f => f.Id.StartsWith("rtc.", StringComparison.Ordinal));
        Assert.Equal(VerdictStatus.Works, run.Report.Verdict.Status);
    }

    [Fact]
    public async Task A_token_for_a_room_nobody_created_yet_still_shows_the_sfu_accepted_its_signature()
    {
        var (run, service, _) = await RunAsync(RtcFault.None, roomAutoCreate: false);
        var asked = Assert.Single(run.Report.MatrixRtc!.TokenCheck!.Services);
        Assert.True(asked.Outcome == "Works", Explain(run, service));
        Assert.Equal((404, "requested room does not exist"), (asked.SfuValidation!.Status, asked.SfuValidation.Body));
    }

    [Fact]
    public async Task A_service_without_get_token_is_asked_through_the_legacy_endpoint()
    {
        var (run, service, _) = await RunAsync(RtcFault.LegacyOnly);
        var check = run.Report.MatrixRtc!.TokenCheck!;
        Assert.True(check.Status == TokenCheckStatus.Works, Explain(run, service));
        Assert.Equal("/sfu/get", Assert.Single(check.Services).Endpoint);
        Assert.Contains(service.Events("request"), r => (string?)r["path"] == "/get_token");
    }

    [Theory]
    [InlineData(RtcFault.EgressBlocked, "rtc.service_cannot_verify", false)]
    [InlineData(RtcFault.KeyMismatch, "rtc.sfu_key_mismatch", true)]
    [InlineData(RtcFault.LocalhostUrl, "rtc.sfu_url_not_public", true)]
    public async Task Each_fault_breaks_the_check_with_its_finding(RtcFault fault, string id, bool callbackSeen)
    {
        var (run, service, issuer) = await RunAsync(fault);
        var check = run.Report.MatrixRtc!.TokenCheck!;
        Assert.True(check.Status == TokenCheckStatus.Broken, Explain(run, service));
        Assert.Equal(callbackSeen, check.CallbackSeen);
        Assert.Equal(id, Assert.Single(run.Findings, f => f.Id.StartsWith("rtc.", StringComparison.Ordinal)).Id);
        Assert.Equal(run.Finding(id).Summary, check.Summary);
        // The call check is its own verdict: the federation verdict stays as it was.
        Assert.Equal(VerdictStatus.Works, run.Report.Verdict.Status);
        if (fault == RtcFault.EgressBlocked)
        {
            Assert.Equal(0, issuer.Requests);
            Assert.Equal((401, "Refused"), (check.Services[0].Status, check.Services[0].Outcome));
            Assert.Contains("ECONNREFUSED", (string?)(await service.WaitForAsync("userinfo"))["error"], StringComparison.Ordinal);
        }
        if (fault == RtcFault.LocalhostUrl)
        {
            Assert.Equal("ws://localhost:7880", check.SfuUrl);
            Assert.Null(check.Services[0].SfuValidation);
        }
    }

    [Fact]
    public async Task Without_an_identity_the_check_is_not_configured_and_says_it_needs_the_site()
    {
        PeerLab.RequireNode();
        var service = await LabRtcService.StartAsync(Lab, cancellationToken: TestContext.Current.CancellationToken);
        await RtcTarget.StartAsync(Lab, service.ServiceUrl);
        var run = await Lab.DiagnoseAsync(RtcTarget.Name);
        var check = run.Report.MatrixRtc!.TokenCheck!;
        Assert.Equal(TokenCheckStatus.NotConfigured, check.Status);
        Assert.Contains("needs the web site", check.Summary, StringComparison.Ordinal);
        // The readiness checks reached the service (GET and OPTIONS only); no token was asked for.
        Assert.NotEmpty(service.Events("request"));
        Assert.DoesNotContain(service.Events("request"), e => (string?)e["method"] == "POST");
    }

    [Fact]
    public async Task A_server_that_publishes_no_authorization_service_is_skipped_without_minting_anything()
    {
        var issuer = await LabOpenIdIssuer.StartAsync(Lab);
        await RtcTarget.StartAsync(Lab);
        var events = new List<DiagnosisEvent>();
        await foreach (var e in DiagnosisEngine.Create(Lab.Options(), TimeProvider.System, openId: issuer).RunAsync(RtcTarget.Name, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }
        var check = events.OfType<CompletedEvent>().Single().Report.MatrixRtc!.TokenCheck!;
        Assert.Equal(TokenCheckStatus.Skipped, check.Status);
        Assert.Equal("Skipped: the server publishes no call authorization service (a LiveKit transport)", check.Summary);
        Assert.Single(events.OfType<TokenCheckEvent>());
    }
}
