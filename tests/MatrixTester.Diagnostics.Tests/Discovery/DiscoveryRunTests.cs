using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab.Dns;

using MatrixTester.Diagnostics.Tests.Timing;

namespace MatrixTester.Diagnostics.Tests.Discovery;

/// <summary>The diagnosis as a whole around discovery: lookups started early and asked once, the event stream, invalid input and the overall deadline.</summary>
public sealed class DiscoveryRunTests : DiscoveryLabTest
{
    [Fact]
    public async Task SRV_lookups_start_alongside_the_well_known_fetch_not_after_it()
    {
        // The well-known answers only once the SRV question has reached the DNS server. Asked after the well-known
        // (in series), the question would never come while the fetch waits, and the fetch would end in its timeout.
        var srv = Lab.Dns.Watch("_matrix-fed._tcp.example.test", DnsRecordType.SRV);
        await WellKnownHost("example.test", r => r.Map("/.well-known/matrix/server", async c =>
        {
            await srv.Arrived.WaitAsync(c.RequestAborted);
            c.Response.StatusCode = 404;
        }));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.NotFound, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Contains(run.Events.OfType<DnsQueryEvent>(), e => e.Answer.Type == DnsRecordType.SRV);
    }

    [Fact]
    public async Task Each_DNS_question_is_asked_once_per_diagnosis()
    {
        await WellKnownHost("example.test", r => r.Delegate("example.test"));
        var run = await Lab.DiagnoseAsync("example.test");
        var questions = Lab.Dns.QueryLog.Where(q => q.Transport == LabTransport.Udp).Select(q => (q.Name, q.Type)).ToList();
        Assert.Equal(questions.Distinct().Count(), questions.Count);
        Assert.Equal(DiscoveryStep.WellKnownDefaultPort, Assert.Single(run.Report.Discovery!.Endpoints).Step);
    }

    [Fact]
    public async Task Events_stream_in_order_and_end_with_the_report()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test:443"));
        Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.IsType<ServerNameEvent>(run.Events[0]);
        Assert.IsType<CompletedEvent>(run.Events[^1]);
        Assert.Contains(run.Events, e => e is WellKnownEvent);
        Assert.Contains(run.Events, e => e is EndpointsEvent);
        Assert.True(run.Events.Zip(run.Events.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public async Task Invalid_input_gives_a_report_with_the_reason_and_no_network_activity()
    {
        var run = await Lab.DiagnoseAsync("https://example.test/");
        var finding = Assert.Single(run.Findings);
        Assert.Equal("server_name.invalid", finding.Id);
        Assert.Contains("example.test", finding.Fix, StringComparison.Ordinal);
        Assert.Empty(Lab.Dns.QueryLog);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_overall_deadline_returns_a_partial_report_saying_what_timed_out()
    {
        // DNS never answers; the engine's clock is a fake and the deadline far beyond the test's own timeout: nothing
        // ends the run until the fake clock passes the deadline.
        Lab.Zone.Drop("example.test").Drop("_matrix-fed._tcp.example.test").Drop("_matrix._tcp.example.test");
        var asked = Lab.Dns.Watch("_matrix-fed._tcp.example.test", DnsRecordType.SRV);
        var clock = LabClock.StoppedNow();
        var deadline = TimeSpan.FromMinutes(5);
        var running = Lab.DiagnoseAsync("example.test", o =>
        {
            o.DnsTimeout = TimeSpan.FromMinutes(30);
            o.OverallDeadline = deadline;
        }, clock);
        await asked.Arrived.WaitAsync(TestContext.Current.CancellationToken);

        clock.Advance(deadline - TimeSpan.FromMilliseconds(1));
        Assert.False(running.IsCompleted, "the run ended before its deadline");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var run = await running.WaitAsync(TestContext.Current.CancellationToken);

        Assert.True(run.Report.TimedOut);
        Assert.True(run.Has("diagnosis.timed_out"));
        Assert.Equal(deadline, run.Report.Duration);
    }
}
