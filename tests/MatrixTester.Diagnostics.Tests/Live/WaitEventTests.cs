using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.Live;

/// <summary>
/// Every wait on the network (DNS answers, HTTP responses) streams a start and an end, so a live view can say what
/// the diagnosis is waiting for now, and since when, rather than the last step that finished.
/// </summary>
public sealed class WaitEventTests : LabTest
{
    [Fact]
    public async Task Every_wait_opens_once_and_closes_once_and_names_what_it_waits_for()
    {
        var server = await new LabServer(Lab).StartAsync();
        var run = await Lab.DiagnoseAsync(server.ServerName);
        var waits = run.Events.OfType<WaitEvent>().ToList();

        var opened = waits.Where(w => !w.Done).ToList();
        Assert.Equal(opened.Select(w => w.Id).Distinct().Count(), opened.Count);
        foreach (var open in opened)
        {
            var closed = Assert.Single(waits, w => w.Done && w.Id == open.Id);
            Assert.Equal(open.For, closed.For);
            Assert.True(waits.IndexOf(open) < waits.IndexOf(closed), $"{open.For} closes before it opens");
            Assert.True(closed.At >= open.At);
        }
        var names = opened.Select(w => w.For).ToList();
        Assert.Contains($"https://example.test/.well-known/matrix/server ({server.WebAddress})", names);
        Assert.Contains("the A records of matrix.example.test", names);
        Assert.Contains("the SRV records of _matrix-fed._tcp.example.test", names);
        Assert.Contains($"https://matrix.example.test:443/_matrix/key/v2/server and /_matrix/federation/v1/version ({server.HomeserverAddress}:443)", names);
        Assert.Equal("Waiting for the A records of matrix.example.test", opened.Single(w => w.For == "the A records of matrix.example.test").Summary);
        // Every wait has ended by the time the report is complete.
        Assert.IsType<CompletedEvent>(run.Events[^1]);
    }

    [Fact]
    public async Task While_the_well_known_hangs_it_stays_the_oldest_open_wait_though_a_dns_step_finishes_meanwhile()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await new LabServer(Lab)
        {
            WebServer = r => r.Map("/.well-known/matrix/server", async context =>
            {
                await answer.Task.WaitAsync(TimeSpan.FromSeconds(15), context.RequestAborted);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"m.server": "matrix.example.test:443"}""");
            }),
        }.StartAsync();
        // The SRV answer is held until the well-known request is out, so it finishes while the well-known hangs.
        var srv = Lab.Dns.Watch("_matrix-fed._tcp.example.test", DnsRecordType.SRV, hold: true);
        var open = new List<WaitEvent>();
        string? oldestWhenSrvFinished = null;
        await foreach (var e in Lab.Engine().RunAsync(server.ServerName, TestContext.Current.CancellationToken))
        {
            switch (e)
            {
                case WaitEvent { Done: true } done:
                    open.RemoveAll(w => w.Id == done.Id);
                    break;
                case WaitEvent started:
                    open.Add(started);
                    if (started.For.Contains("/.well-known/matrix/server", StringComparison.Ordinal))
                    {
                        srv.Release();
                    }
                    break;
                case DnsQueryEvent { Answer.Type: DnsRecordType.SRV } dns when dns.Answer.QueryName == "_matrix-fed._tcp.example.test":
                    oldestWhenSrvFinished = open.FirstOrDefault()?.For;
                    answer.TrySetResult();
                    break;
            }
        }
        Assert.Equal($"https://example.test/.well-known/matrix/server ({server.WebAddress})", oldestWhenSrvFinished);
        Assert.Empty(open);
    }
}
