using System.Text;
using System.Text.Json;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests.Calls;

/// <summary>A homeserver that pads everything the calls and login checks read cannot make the report large or the checks many.</summary>
public sealed class CallsHostileTests : LabTest
{
    [Fact]
    public async Task A_transports_answer_over_the_size_limit_is_not_read()
    {
        var huge = new string(' ', 70 * 1024);
        var server = await new LabServer(Lab)
        {
            Homeserver = r => r.Json("/_matrix/client/unstable/org.matrix.msc4143/rtc/transports", $$"""{"rtc_transports": [{"type": "livekit", "livekit_service_url": "https://rtc.example.test"}]{{huge}}}"""),
        }.StartAsync();
        var run = await Lab.DiagnoseAsync(server.ServerName);
        var probe = run.Report.MatrixRtc!.TransportsEndpoints[0];
        Assert.Equal(TransportsEndpointOutcome.Failed, probe.Outcome);
        Assert.Contains("64 KiB", probe.Detail, StringComparison.Ordinal);
        Assert.Empty(run.Report.MatrixRtc.Transports);
    }

    [Fact]
    public async Task Padded_transports_and_login_metadata_enter_the_report_capped_and_bounded()
    {
        // Under the 64 KiB the client API may send, every string past its cap.
        var pad = new string('<', 2_100);
        var transports = string.Join(", ", Enumerable.Range(0, 8).Select(i =>
            $$"""{"type": "livekit{{pad}}", "livekit_service_url": "https://s{{i}}.nowhere.test/{{pad}}"}, {"type": "m.livekit", "url": "wss://f{{i}}.nowhere.test/{{pad}}"}"""));
        var server = await new LabServer(Lab)
        {
            Homeserver = r => r
                .Json("/_matrix/client/unstable/org.matrix.msc4143/rtc/transports", $$"""{"rtc_transports": [{{transports}}]}""")
                .Json("/_matrix/client/v1/auth_metadata", $$"""{"issuer": "https://auth.nowhere.test/{{pad}}", "authorization_endpoint": "https://x/{{pad}}"}"""),
        }.StartAsync();

        var run = await Lab.DiagnoseAsync(server.ServerName);

        var rtc = run.Report.MatrixRtc!;
        Assert.True(RtcDocuments.MaxTransports == rtc.Transports.Count, string.Join(" / ", rtc.TransportsEndpoints.Select(p => p.Detail)));
        Assert.Equal(Orchestration.CallsStage.MaxServices, rtc.Services.Count);
        Assert.All(rtc.Services, s => Assert.False(s.Reachable));
        Assert.All(rtc.Transports, t => Assert.True(Encoding.UTF8.GetByteCount(t.Type) <= ReportText.Name + 32));
        Assert.Equal(MatrixRtcStatus.Broken, rtc.Status);
        Assert.Equal(AuthStatus.Broken, run.Report.Auth!.Status);
        Assert.True(Encoding.UTF8.GetByteCount(run.Report.Auth.Issuer!) <= ReportText.Url + 32);
        var callsBytes = JsonSerializer.SerializeToUtf8Bytes(rtc, ReportJson.Options).Length;
        var loginBytes = JsonSerializer.SerializeToUtf8Bytes(run.Report.Auth, ReportJson.Options).Length;
        Assert.True(callsBytes < 96 * 1024, $"matrixRtc is {callsBytes} bytes");
        Assert.True(loginBytes < 32 * 1024, $"auth is {loginBytes} bytes");
        Assert.True(run.Findings.Count(f => f.Id == "rtc.sfu_url_not_public") <= Orchestration.CallsStage.MaxServices);
    }
}
