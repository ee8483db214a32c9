using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Diagnostics.Tests.Timing;
using MatrixTester.Lab;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>Client and support discovery never change the federation verdict, by time either.</summary>
public sealed class ClientBudgetVerdictTests : LabTest
{
    [Fact(Timeout = 30_000)]
    public async Task A_client_well_known_that_never_answers_ends_with_its_own_finding_while_federation_works()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await new LabServer(Lab)
        {
            WebServer = r => r.Map("/.well-known/matrix/client", async context =>
            {
                asked.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }),
        }.StartAsync();

        // A fake clock, and a request timeout longer than the deadline: only the deadline can end the client stage, and
        // only when the test moves the clock past it, which it does once federation has passed and the client file hangs.
        var clock = LabClock.StoppedNow();
        var deadline = TimeSpan.FromMinutes(5);
        var engine = Lab.Engine(o => (o.OverallDeadline, o.RequestTimeout) = (deadline, TimeSpan.FromHours(1)), clock);
        var events = new List<DiagnosisEvent>();
        await foreach (var e in engine.RunAsync(server.ServerName, TestContext.Current.CancellationToken))
        {
            events.Add(e);
            if (e is ConnectionEvent { Connection.Passed: true })
            {
                await asked.Task.WaitAsync(TestContext.Current.CancellationToken);
                clock.Advance(deadline);
            }
        }
        var run = new LabRun(events.OfType<CompletedEvent>().Single().Report, events);

        // The client file's own time-out is a client warning: federation works, with nothing to warn about.
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
        Assert.False(run.Report.TimedOut);
        AssertNo(run, "diagnosis.timed_out");
        AssertFinding(run, "client.timeout", Severity.Warning, "example.test");
        var connection = Assert.Single(run.Report.Connections);
        Assert.True(connection.Passed);
        Assert.NotNull(run.Report.Client);
    }
}
