using System.Net;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Calls;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Calls;

/// <summary>The authorization service and SFU faults admins meet, each with its own finding, never touching federation.</summary>
public sealed class CallsFaultTests : LabTest
{
    private const string Name = "faulty.example.test";

    private async Task<LabRun> Run(LabCallsServer server, Action<DiagnosisOptions>? configure = null)
    {
        await server.StartAsync();
        return await Lab.DiagnoseAsync(server.ServerName, configure);
    }

    [Fact]
    public async Task A_proxy_that_adds_a_second_CORS_header_to_the_service_breaks_calls_in_browsers()
    {
        var server = new LabCallsServer(Lab, Name) { ServiceFault = RtcServiceFault.DuplicatedCors };
        var run = await Run(server);
        var service = Assert.Single(run.Report.MatrixRtc!.Services);
        Assert.Equal((CorsOutcome.Duplicated, "*, *"), (service.Cors, service.AllowOrigin));
        Assert.True(service.Reachable);
        var finding = AssertFinding(run, "rtc.service_cors", Severity.Error, $"rtc.{Name}");
        Assert.Contains("sends Access-Control-Allow-Origin twice", finding.Summary, StringComparison.Ordinal);
        Assert.Equal(MatrixRtcStatus.Broken, run.Report.MatrixRtc.Status);
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
    }

    [Fact]
    public async Task A_refused_preflight_is_a_CORS_problem()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { ServiceFault = RtcServiceFault.PreflightRefused });
        var service = Assert.Single(run.Report.MatrixRtc!.Services);
        Assert.Equal((405, CorsOutcome.Missing), (service.PreflightStatus, service.Cors));
        var finding = AssertFinding(run, "rtc.service_cors", Severity.Error);
        Assert.Contains("refuses the browser's CORS preflight", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_whose_health_check_fails_is_unreachable()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { ServiceFault = RtcServiceFault.HealthzDown });
        var service = Assert.Single(run.Report.MatrixRtc!.Services);
        Assert.Equal((false, 502), (service.Reachable, service.HealthzStatus));
        var finding = AssertFinding(run, "rtc.service_unreachable", Severity.Error, $"rtc.{Name}");
        Assert.Contains("answered 502, not 200", finding.Detail, StringComparison.Ordinal);
        Assert.Equal(MatrixRtcStatus.Broken, run.Report.MatrixRtc.Status);
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
    }

    [Fact]
    public async Task An_SFU_URL_left_at_ws_localhost_is_not_public()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { SfuUrl = "ws://localhost:7880" });
        var rtc = run.Report.MatrixRtc!;
        Assert.Contains(new RtcTransport("m.livekit", null, "ws://localhost:7880", RtcTransportSource.TransportsEndpoint), rtc.Transports);
        var finding = AssertFinding(run, "rtc.sfu_url_not_public", Severity.Error, Name);
        Assert.Contains("localhost", finding.Detail, StringComparison.Ordinal);
        Assert.Equal(MatrixRtcStatus.Broken, rtc.Status);
    }

    [Fact]
    public async Task A_public_wss_SFU_URL_passes()
    {
        Lab.Zone.A($"sfu.{Name}", FederationLab.NewAddress().ToString());
        var run = await Run(new LabCallsServer(Lab, Name) { SfuUrl = $"wss://sfu.{Name}" });
        AssertNo(run, "rtc.sfu_url_not_public");
        Assert.Equal(MatrixRtcStatus.Ready, run.Report.MatrixRtc!.Status);
    }

    [Fact]
    public async Task An_SFU_name_without_an_address_is_not_public()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { SfuUrl = $"wss://nowhere.{Name}" });
        var finding = AssertFinding(run, "rtc.sfu_url_not_public", Severity.Error, Name);
        Assert.Contains($"nowhere.{Name}", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_on_a_non_public_address_is_never_contacted()
    {
        var server = new LabCallsServer(Lab, Name);
        await server.StartAsync();
        // Private networks off; only the server's own web, homeserver and issuer addresses are allowed: the service's is refused.
        var (web, hs, _, issuer) = server.Addresses;
        var run = await Lab.DiagnoseAsync(Name, o =>
        {
            o.AllowPrivateNetworks = false;
            foreach (var address in new[] { web, hs, issuer })
            {
                o.AllowedNetworks.Add($"{address}/32");
            }
        });
        var finding = AssertFinding(run, "rtc.service_unreachable", Severity.Error, $"rtc.{Name}");
        Assert.Contains("non-public", finding.Detail, StringComparison.Ordinal);
        Assert.Empty(server.ServiceHost!.RequestLog);
        Assert.False(Assert.Single(run.Report.MatrixRtc!.Services).Reachable);
    }

    [Fact]
    public async Task A_plain_http_service_URL_is_not_contacted()
    {
        var server = new LabCallsServer(Lab, Name) { Transports = TransportsAnswer.NeedsToken };
        await server.StartAsync();
        var other = "http-service.example.test";
        var address = FederationLab.NewAddress();
        Lab.Zone.A(other, address.ToString());
        var hs = await Lab.HttpsAsync(address, 443, Lab.Pki.Issue(other), r => r
            .Delegate($"{server.Homeserver}:443")
            .Json("/.well-known/matrix/client", $$"""{"m.homeserver": {"base_url": "https://{{server.Homeserver}}"}, "org.matrix.msc4143.rtc_foci": [{"type": "livekit", "livekit_service_url": "http://rtc.{{Name}}/livekit/jwt"}]}""", 200, "application/json", ("Access-Control-Allow-Origin", "*")));
        var run = await Lab.DiagnoseAsync(other);
        var finding = AssertFinding(run, "rtc.service_unreachable", Severity.Error, other);
        Assert.Contains("plain http://", finding.Detail, StringComparison.Ordinal);
        Assert.Empty(server.ServiceHost!.RequestLog);
        Assert.NotEmpty(hs.RequestLog);
    }
}
