using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;
using MatrixTester.Lab.Calls;
using MatrixTester.Lab.Hosts;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Calls;

/// <summary>CORS on what web clients read: a header sent twice, and every redirect of the client well-known.</summary>
public sealed class ClientCorsTests : LabTest
{
    [Fact]
    public async Task A_client_well_known_with_two_CORS_headers_is_a_client_warning()
    {
        var server = await new LabCallsServer(Lab, "twice.example.test") { DuplicatedClientCors = true }.StartAsync();
        var run = await Lab.DiagnoseAsync(server.ServerName);
        var finding = AssertFinding(run, "client.cors_duplicated", Severity.Warning, "twice.example.test");
        Assert.Contains("Access-Control-Allow-Origin: *, *", finding.Detail, StringComparison.Ordinal);
        AssertNo(run, "client.cors_missing");
        // A warning for clients, their own verdict: federation works, and says nothing of it.
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
        Assert.Equal(ClientsState.WorksWithWarnings, ReportReading.Of(run.Report).Clients.State);
    }

    [Fact]
    public async Task Each_redirect_of_the_client_well_known_is_checked_for_CORS()
    {
        var server = await new LabServer(Lab)
        {
            WebServer = r => r.Redirect("/.well-known/matrix/client", "https://matrix.example.test/.well-known/matrix/client"),
            Homeserver = r => r.ClientWellKnown("https://matrix.example.test"),
        }.StartAsync();
        var run = await Lab.DiagnoseAsync(server.ServerName);
        var finding = AssertFinding(run, "client.cors_missing", Severity.Warning);
        Assert.StartsWith("The redirect https://example.test/.well-known/matrix/client", finding.Summary, StringComparison.Ordinal);
        Assert.Single(run.Findings, f => f.Id == "client.cors_missing");
        Assert.Equal("https://matrix.example.test", run.Report.Client!.HomeserverBaseUrl);
    }

    [Fact]
    public async Task The_client_report_keeps_the_unstable_features_switched_on()
    {
        var server = await new LabCallsServer(Lab, "features.example.test").StartAsync();
        var run = await Lab.DiagnoseAsync(server.ServerName);
        Assert.Equal(["org.matrix.msc4140", "org.matrix.msc4143", "org.matrix.msc4222"], run.Report.Client!.UnstableFeatures);
        Assert.Equal(["v1.11", "v1.12", "v1.15"], run.Report.Client.ClientVersions);
    }

    [Fact]
    public async Task Without_a_client_API_neither_calls_nor_login_are_checked()
    {
        var server = await new LabServer(Lab) { WebServer = r => r.Json("/.well-known/matrix/client", "", 404, "text/plain") }.StartAsync();
        var run = await Lab.DiagnoseAsync(server.ServerName);
        Assert.True(run.Has("client.not_found"));
        Assert.Null(run.Report.MatrixRtc);
        Assert.Null(run.Report.Auth);
        Assert.DoesNotContain(run.Events, e => e is MatrixRtcEvent or AuthEvent);
    }
}
