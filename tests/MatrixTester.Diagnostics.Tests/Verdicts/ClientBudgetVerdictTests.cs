using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>Issue 10, rule 6: client and support discovery never change the federation verdict, by time either.</summary>
public sealed class ClientBudgetVerdictTests : LabTest
{
    [Fact]
    public async Task A_client_well_known_that_never_answers_ends_with_its_own_finding_while_federation_works()
    {
        var server = await new LabServer(Lab)
        {
            WebServer = r => r.Map("/.well-known/matrix/client", async context =>
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted)),
        }.StartAsync();

        // The request timeout is longer than the overall deadline, so only the deadline can end the client stage.
        var run = await Lab.DiagnoseAsync(server.ServerName, o =>
        {
            o.OverallDeadline = TimeSpan.FromSeconds(4);
            o.RequestTimeout = TimeSpan.FromSeconds(30);
        });

        AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
        Assert.False(run.Report.TimedOut);
        AssertNo(run, "diagnosis.timed_out");
        AssertFinding(run, "client.timeout", Severity.Warning, "example.test");
        var connection = Assert.Single(run.Report.Connections);
        Assert.True(connection.Passed);
        Assert.NotNull(run.Report.Client);
    }
}
