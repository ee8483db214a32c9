using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Timing;
using MatrixTester.Lab;
using MatrixTester.Lab.Calls;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Calls;

/// <summary>A call service that never answers ends the calls check with a finding of its own, never with "the diagnosis timed out".</summary>
public sealed class CallsBudgetTests : LabTest
{
    [Fact(Timeout = 30_000)]
    public async Task A_service_that_never_answers_leaves_calls_unchecked_with_its_own_finding_while_federation_works()
    {
        var server = await new LabCallsServer(Lab, "slow.calls.test").StartAsync();
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ServiceHost!.Routes.Map("/livekit/jwt/healthz", async context =>
        {
            asked.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        // A fake clock and a request timeout longer than the deadline: only the deadline can end the calls check, and
        // only when the test moves the clock past it, once federation has passed and the service hangs.
        var clock = LabClock.StoppedNow();
        var deadline = TimeSpan.FromMinutes(5);
        var engine = Lab.Engine(o => (o.OverallDeadline, o.RequestTimeout) = (deadline, TimeSpan.FromHours(1)), clock);
        var events = new List<DiagnosisEvent>();
        await foreach (var e in engine.RunAsync(server.ServerName, TestContext.Current.CancellationToken))
        {
            events.Add(e);
            if (e is AuthEvent or ConnectionEvent && events.OfType<AuthEvent>().Any() && events.OfType<ConnectionEvent>().Any(c => c.Connection.Passed))
            {
                // Login and federation have finished: only calls still waits, on the service.
                await asked.Task.WaitAsync(TestContext.Current.CancellationToken);
                clock.Advance(deadline);
            }
        }
        var run = new LabRun(events.OfType<CompletedEvent>().Single().Report, events);

        Assert.Null(run.Report.MatrixRtc);
        Assert.DoesNotContain(events, e => e is MatrixRtcEvent);
        var finding = AssertFinding(run, "rtc.timeout", Severity.Warning, "slow.calls.test");
        // Client discovery itself finished: the clients verdict is not "not finished" because calls ran out of time.
        AssertNo(run, "client.timeout");
        Assert.Equal(Diagnostics.Reading.ClientsState.Works, Diagnostics.Reading.ReportReading.Of(run.Report).Clients.State);
        Assert.Null(Diagnostics.Reading.ReportReading.Of(run.Report).Calls);
        Assert.StartsWith("The calls (MatrixRTC) check for slow.calls.test did not finish", finding.Summary, StringComparison.Ordinal);
        Assert.False(run.Report.TimedOut);
        Assert.Equal(Client.AuthStatus.Oidc, run.Report.Auth!.Status);
        Assert.True(Assert.Single(run.Report.Connections).Passed);
        AssertNo(run, "diagnosis.timed_out");
    }
}
