using System.Text.Json;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Calls;

namespace MatrixTester.Diagnostics.Tests.Calls;

/// <summary>The calls and login parts of the v2 report: additive, read back unchanged, and absent from the Go-compatible report.</summary>
public sealed class CallsReportFormatTests : LabTest
{
    private async Task<LabRun> Run(LabCallsServer server)
    {
        await server.StartAsync();
        return await Lab.DiagnoseAsync(server.ServerName);
    }

    [Fact]
    public async Task A_report_with_calls_and_login_reads_back_to_the_same_json()
    {
        var run = await Run(new LabCallsServer(Lab, "json.example.test") { ServiceFault = RtcServiceFault.DuplicatedCors, SfuUrl = "ws://localhost:7880" });
        var json = JsonSerializer.Serialize(run.Report, ReportJson.Options);
        var back = JsonSerializer.Deserialize<DiagnosisReport>(json, ReportJson.Options)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, ReportJson.Options));
        Assert.Equal(MatrixRtcStatus.Broken, back.MatrixRtc!.Status);
        Assert.Equal(CorsOutcome.Duplicated, back.MatrixRtc.Services[0].Cors);
        Assert.Equal(AuthStatus.Oidc, back.Auth!.Status);
    }

    [Fact]
    public async Task The_v2_json_names_the_parts_as_documented()
    {
        var run = await Run(new LabCallsServer(Lab, "names.example.test"));
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(run.Report, ReportJson.Options));
        var rtc = document.RootElement.GetProperty("matrixRtc");
        Assert.Equal("Ready", rtc.GetProperty("status").GetString());
        Assert.Equal("TransportsEndpoint", rtc.GetProperty("transports")[0].GetProperty("source").GetString());
        Assert.Equal("https://rtc.names.example.test/livekit/jwt", rtc.GetProperty("transports")[0].GetProperty("serviceUrl").GetString());
        var tokenCheck = rtc.GetProperty("tokenCheck");
        Assert.Equal(("NotConfigured", false), (tokenCheck.GetProperty("status").GetString(), tokenCheck.GetProperty("callbackSeen").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, tokenCheck.GetProperty("sfuUrl").ValueKind);
        Assert.Equal("Routed", rtc.GetProperty("prerequisites").GetProperty("openIdUserinfo").GetString());
        var auth = document.RootElement.GetProperty("auth");
        Assert.Equal(("Oidc", "https://auth.names.example.test/"), (auth.GetProperty("status").GetString(), auth.GetProperty("issuer").GetString()));
        Assert.Equal("OPTIONS", rtc.GetProperty("requests").EnumerateArray().Single(r => r.TryGetProperty("method", out _)).GetProperty("method").GetString());
        Assert.False(document.RootElement.GetProperty("connections")[0].GetProperty("requests")[0].TryGetProperty("method", out _));
    }

    [Fact]
    public async Task The_Go_compatible_report_does_not_change_with_calls_and_login()
    {
        var run = await Run(new LabCallsServer(Lab, "go.example.test") { ServiceFault = RtcServiceFault.HealthzDown, DocumentIssuer = "https://elsewhere.test/" });
        Assert.Contains(run.Findings, f => f.Id == "rtc.service_unreachable");
        Assert.Contains(run.Findings, f => f.Id == "auth.issuer_mismatch");
        var without = run.Report with
        {
            MatrixRtc = null,
            Auth = null,
            Findings = [.. run.Report.Findings.Where(f => f.PartOf() is not (ReportPart.Calls or ReportPart.Login))],
        };
        Assert.Equal(GoReportWriter.Write(without), GoReportWriter.Write(run.Report));
    }
}
