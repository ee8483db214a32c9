using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Lab.Calls;

namespace MatrixTester.Diagnostics.Tests.Reading;

/// <summary>
/// Calls and login as the reading decides them: verdicts of their own, from the report's records, which never change
/// the federation verdict, its count or its second line.
/// </summary>
public sealed class CallsReadingTests : LabTest
{
    private async Task<ReportReading> ReadAsync(LabCallsServer server) =>
        ReportReading.Of((await Lab.DiagnoseAsync((await server.StartAsync()).ServerName)).Report);

    [Fact]
    public async Task A_ready_server_has_calls_ready_and_login_OIDC_beside_federation()
    {
        var reading = await ReadAsync(new LabCallsServer(Lab, "ready.example.test"));
        Assert.Equal(FederationState.Works, reading.Federation.State);
        Assert.Equal((MatrixRtcStatus.Ready, 0, 0), (reading.Calls!.State, reading.Calls.Errors, reading.Calls.Warnings));
        Assert.Equal((AuthStatus.Oidc, "https://auth.ready.example.test/"), (reading.Login!.State, reading.Login.Issuer));
        // The engine without the site has no identity: the token check did not run, and has no chip or line.
        Assert.Equal(new TokenCheckVerdict(TokenCheckStatus.NotConfigured, false, TokenCheckReport.NotConfigured.Summary), reading.Calls.TokenCheck);
        var chips = VerdictWords.Chips(reading);
        Assert.Equal([("calls", "ready", Tone.Good), ("login", "OIDC", Tone.Good)],
            chips.Where(c => c.Key is "calls" or "login" or "token-check").Select(c => (c.Key, c.Value, c.Tone)));
        Assert.Equal([(CheckItem.Calls, CheckState.Passed), (CheckItem.Login, CheckState.Passed)],
            Checklist.Of(reading).CallsAndLogin.Select(l => (l.Item, l.State)));
        Assert.Equal("OAuth 2.0 / OIDC with https://auth.ready.example.test/", Checklist.Of(reading).CallsAndLogin[1].Text);
    }

    [Fact]
    public async Task Broken_calls_leave_federation_working_with_nothing_in_its_count_or_its_line()
    {
        var reading = await ReadAsync(new LabCallsServer(Lab, "calls.example.test") { ServiceFault = RtcServiceFault.HealthzDown });
        Assert.Contains(reading.Report.Findings, f => f.Id == "rtc.service_unreachable" && f.Severity == Severity.Error);
        Assert.Equal(new FederationVerdict(FederationState.Works, 0, 0, FamilyState.Works, FamilyState.NoAddress, true), reading.Federation);
        Assert.Equal("Federation works", VerdictWords.Headline(reading.Federation.State));
        Assert.Equal("0 errors, 0 warnings", VerdictWords.Pill(reading.Federation));
        Assert.Equal("Other homeservers can reach it on every address tested.", VerdictWords.Line(reading));
        Assert.Equal(Reports.VerdictStatus.Works, reading.Report.Verdict.Status);
        Assert.Equal((MatrixRtcStatus.Broken, 1), (reading.Calls!.State, reading.Calls.Errors));
        var chip = Assert.Single(VerdictWords.Chips(reading), c => c.Key == "calls");
        Assert.Equal(("Calls", "broken", Tone.Bad), (chip.Label, chip.Value, chip.Tone));
        var line = Checklist.Of(reading).CallsAndLogin.Single(l => l.Item == CheckItem.Calls);
        Assert.Equal((CheckState.Failed, "The call authorization service at https://rtc.calls.example.test/livekit/jwt does not answer its health check"),
            (line.State, line.Text));
        Assert.Equal("Federation works. Calls: broken.", VerdictWords.Summary(reading));
        Assert.Equal(AuthStatus.Oidc, reading.Login!.State);
    }

    [Fact]
    public async Task Broken_login_leaves_federation_and_calls_as_they_are()
    {
        var reading = await ReadAsync(new LabCallsServer(Lab, "login.example.test") { DocumentIssuer = "https://elsewhere.example.test/" });
        Assert.Contains(reading.Report.Findings, f => f.Id == "auth.issuer_mismatch");
        Assert.Equal((FederationState.Works, 0, 0), (reading.Federation.State, reading.Federation.Errors, reading.Federation.Warnings));
        Assert.Equal(MatrixRtcStatus.Ready, reading.Calls!.State);
        Assert.Equal((AuthStatus.Broken, 1, Tone.Bad), (reading.Login!.State, reading.Login.Errors, reading.Login.Tone));
        Assert.Equal("broken", Assert.Single(VerdictWords.Chips(reading), c => c.Key == "login").Value);
        Assert.Equal(CheckState.Failed, Checklist.Of(reading).CallsAndLogin.Single(l => l.Item == CheckItem.Login).State);
        Assert.Equal("Federation works. Login: broken.", VerdictWords.Summary(reading));
    }

    [Fact]
    public async Task No_call_infrastructure_and_classic_login_are_notes_not_problems()
    {
        var reading = await ReadAsync(new LabCallsServer(Lab, "plain.example.test") { NoCalls = true, Transports = TransportsAnswer.NotFound, Oidc = false });
        Assert.Equal((MatrixRtcStatus.NotOffered, Tone.Neutral), (reading.Calls!.State, reading.Calls.Tone));
        Assert.Equal((AuthStatus.Legacy, Tone.Neutral), (reading.Login!.State, reading.Login.Tone));
        Assert.Equal(["not offered", "classic"], VerdictWords.Chips(reading).Where(c => c.Key is "calls" or "login").Select(c => c.Value));
        Assert.All(Checklist.Of(reading).CallsAndLogin, l => Assert.Equal(CheckState.Note, l.State));
        Assert.Equal("Federation works.", VerdictWords.Summary(reading));
    }

    [Theory]
    [InlineData("rtc.service_cors", ReportPart.Calls)]
    [InlineData("rtc.service_cannot_verify", ReportPart.Calls)]
    [InlineData("rtc.sfu_url_not_public", ReportPart.Calls)]
    [InlineData("rtc.timeout", ReportPart.Calls)]
    [InlineData("auth.issuer_mismatch", ReportPart.Login)]
    [InlineData("auth.timeout", ReportPart.Login)]
    [InlineData("client.cors_duplicated", ReportPart.Clients)]
    public void Calls_and_login_findings_are_filed_under_their_own_verdicts(string id, ReportPart part) => Assert.Equal(part, FindingParts.Of(id));
}
