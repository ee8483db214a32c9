using System.IO.Compression;
using System.Text;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.Hostile;

[CollectionDefinition("hostile", DisableParallelization = true)]
public sealed class HostileGroup;

/// <summary>
/// Servers built to hurt a tester. Each scenario asserts the finding, that the report came back through the step's own
/// bound rather than the overall deadline (no wall-clock margins: the cause, not the duration), and (where size is the
/// attack) that memory stayed bounded. Runs alone so allocation figures are its own. How fast the engine gets through
/// such servers is the benchmark's business ("hostile" rows), not these tests'.
/// </summary>
[Collection("hostile")]
public sealed class HostileServerTests : LabTest
{
    private static readonly byte[] Chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));

    /// <summary>Streams <paramref name="megabytes"/> MB from a reused buffer, so the server side allocates little.</summary>
    private static RequestDelegate Huge(int megabytes, string prefix = "{\"pad\": \"", bool contentLength = false) => async context =>
    {
        context.Response.ContentType = "application/json";
        if (contentLength)
        {
            context.Response.ContentLength = prefix.Length + (megabytes * 16L * Chunk.Length);
        }
        await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes(prefix), context.RequestAborted);
        for (var i = 0; i < megabytes * 16; i++)
        {
            await context.Response.Body.WriteAsync(Chunk, context.RequestAborted);
        }
    };

    private async Task<(LabRun Run, long AllocatedMb)> Measure(LabServer server, Action<DiagnosisOptions>? configure = null)
    {
        await server.StartAsync();
        return await Measure(() => Lab.DiagnoseAsync(server.ServerName, configure));
    }

    private static async Task<(LabRun Run, long AllocatedMb)> Measure(Func<Task<LabRun>> diagnose)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var run = await diagnose();
        return (run, (GC.GetTotalAllocatedBytes(precise: true) - before) / (1024 * 1024));
    }

    /// <summary>
    /// The hostile server did not hold the diagnosis until the overall deadline: a per-step bound (request timeout,
    /// size cap, redirect or record limit) ended it, as the finding under test says.
    /// </summary>
    private static void AssertEndedByItsOwnBound(LabRun run) =>
        Assert.False(run.Report.TimedOut, $"the overall deadline ended the run; findings: {string.Join(", ", run.Findings.Select(f => f.Id))}");

    private static void AssertFinding(LabRun run, string id, Severity severity)
    {
        Assert.True(run.Has(id), $"expected {id}; got {string.Join(", ", run.Findings.Select(f => f.Id))}");
        Assert.Equal(severity, run.Finding(id).Severity);
    }

    [Fact]
    public async Task A_well_known_that_drips_one_byte_a_second_times_out_on_schedule()
    {
        var (run, _) = await Measure(new LabServer(Lab)
        {
            WebServer = r => r.Map("/.well-known/matrix/server", async c =>
            {
                for (var i = 0; i < 120 && !c.RequestAborted.IsCancellationRequested; i++)
                {
                    await c.Response.WriteAsync("{", c.RequestAborted);
                    await c.Response.Body.FlushAsync(c.RequestAborted);
                    await Task.Delay(1000, c.RequestAborted);
                }
            }),
        }, o => o.RequestTimeout = TimeSpan.FromSeconds(2));
        AssertFinding(run, "wellknown.timeout", Severity.Warning);
        AssertEndedByItsOwnBound(run);
    }

    [Fact]
    public async Task A_20_MB_well_known_is_cut_off_at_50_KiB_without_buffering_it()
    {
        var (run, allocated) = await Measure(new LabServer(Lab) { WebServer = r => r.Map("/.well-known/matrix/server", Huge(20)) });
        AssertFinding(run, "wellknown.too_large", Severity.Warning);
        Assert.True(allocated < 32, $"allocated {allocated} MB");
        AssertEndedByItsOwnBound(run);
    }

    [Fact]
    public async Task A_20_MB_key_response_without_length_is_cut_off()
    {
        var (run, allocated) = await Measure(new LabServer(Lab) { Homeserver = r => r.Map("/_matrix/key/v2/server", Huge(20)) });
        AssertFinding(run, "keys.too_large", Severity.Error);
        Assert.True(allocated < 32, $"allocated {allocated} MB");
    }

    [Fact]
    public async Task A_20_MB_version_response_is_refused()
    {
        var (run, allocated) = await Measure(new LabServer(Lab) { Homeserver = r => r.Map("/_matrix/federation/v1/version", Huge(20, contentLength: true)) });
        AssertFinding(run, "version.not_json", Severity.Error);
        Assert.Contains("oversized", run.Finding("version.not_json").Summary, StringComparison.Ordinal);
        Assert.True(allocated < 32, $"allocated {allocated} MB");
    }

    [Fact]
    public async Task Json_nested_100000_deep_is_rejected_quickly()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var (run, _) = await Measure(new LabServer(Lab) { Homeserver = r => r.Json("/_matrix/key/v2/server", deep) });
        Assert.True(run.Has("keys.too_deep"), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.False(run.Has("keys.invalid_json"), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.False(run.Report.Verdict.FederationOk);
        AssertEndedByItsOwnBound(run);
    }

    [Fact]
    public async Task A_well_known_nested_20000_deep_is_invalid_json()
    {
        var deep = new string('[', 20_000) + new string(']', 20_000);
        var (run, _) = await Measure(new LabServer(Lab) { WebServer = r => r.WellKnown(deep) });
        AssertFinding(run, "wellknown.invalid_json", Severity.Warning);
    }

    [Fact]
    public async Task Numbers_like_1e400_are_rejected_in_signed_json()
    {
        LabServer server = null!;
        server = new LabServer(Lab)
        {
            KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1)).Replace("\"old_verify_keys\"", "\"huge\":1e400,\"old_verify_keys\"", StringComparison.Ordinal),
        };
        var (run, _) = await Measure(server);
        AssertFinding(run, "keys.invalid_number", Severity.Error);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_key_response_is_named()
    {
        var (run, _) = await Measure(new LabServer(Lab)
        {
            Homeserver = r => r.Map("/_matrix/key/v2/server", async c =>
            {
                c.Response.ContentType = "application/json";
                await c.Response.Body.WriteAsync(new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D });
            }),
        });
        AssertFinding(run, "keys.invalid_utf8", Severity.Error);
    }

    [Fact]
    public async Task Megabyte_headers_are_refused_with_a_reason()
    {
        var (run, _) = await Measure(new LabServer(Lab)
        {
            Homeserver = r => r.Map("/_matrix/key/v2/server", c =>
            {
                c.Response.Headers["X-Padding"] = new string('h', 1024 * 1024);
                return c.Response.WriteAsync("{}");
            }),
        });
        Assert.False(run.Report.Verdict.FederationOk);
        var connection = Assert.Single(run.Report.Connections);
        Assert.Contains("header", connection.ConnectionError, StringComparison.OrdinalIgnoreCase);
        AssertEndedByItsOwnBound(run);
    }

    [Fact]
    public async Task A_redirect_chain_of_50_hops_stops_at_the_limit()
    {
        var (run, _) = await Measure(new LabServer(Lab)
        {
            WebServer = r => r.Map("/.well-known/matrix/server", c =>
            {
                var n = int.TryParse(c.Request.Query["n"], out var hop) ? hop : 0;
                c.Response.StatusCode = 302;
                c.Response.Headers.Location = n < 50 ? $"/.well-known/matrix/server?n={n + 1}" : "/done";
                return Task.CompletedTask;
            }),
        });
        AssertFinding(run, "wellknown.too_many_redirects", Severity.Warning);
        Assert.Equal(11, run.Report.Discovery!.WellKnown.Attempts[0].Requests.Count);
        AssertEndedByItsOwnBound(run);
    }

    [Fact]
    public async Task Two_hundred_SRV_records_are_capped()
    {
        Lab.Zone.A("many.test", FederationLab.NewAddress().ToString());
        for (var i = 0; i < 200; i++)
        {
            Lab.Zone.Srv("_matrix-fed._tcp.many.test", $"t{i}.many.test", (ushort)(10000 + i), priority: (ushort)(i % 7));
            Lab.Zone.A($"t{i}.many.test", FederationLab.NewAddress().ToString());
        }
        var (run, _) = await Measure(() => Lab.DiagnoseAsync("many.test"));
        AssertFinding(run, "srv.too_many", Severity.Warning);
        Assert.True(run.Report.Discovery!.Endpoints.Count <= 16);
        AssertEndedByItsOwnBound(run);
    }

    [Fact]
    public async Task A_CNAME_loop_is_a_DNS_failure_not_a_hang()
    {
        Lab.Zone.Cname("loop.test", "loop2.test").Cname("loop2.test", "loop.test");
        var (run, _) = await Measure(() => Lab.DiagnoseAsync("loop.test:8448"));
        AssertFinding(run, "dns.lookup_failed", Severity.Error);
        Assert.Contains("CNAME", run.Finding("dns.lookup_failed").Detail, StringComparison.Ordinal);
        AssertEndedByItsOwnBound(run);
    }

    [Fact]
    public async Task A_gzip_bomb_is_never_inflated()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 100; i++)
            {
                gzip.Write(zeros);
            }
        }
        var bomb = compressed.ToArray();
        var (run, allocated) = await Measure(new LabServer(Lab)
        {
            Homeserver = r => r.Map("/_matrix/key/v2/server", async c =>
            {
                c.Response.ContentType = "application/json";
                c.Response.Headers.ContentEncoding = "gzip";
                await c.Response.Body.WriteAsync(bomb);
            }),
        });
        Assert.False(run.Report.Verdict.FederationOk);
        Assert.True(run.Has("http.unrequested_encoding"), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.True(allocated < 32, $"allocated {allocated} MB");
    }

    [Fact]
    public async Task A_server_that_resets_mid_response_is_a_reset()
    {
        var (run, _) = await Measure(new LabServer(Lab)
        {
            Homeserver = r => r.Map("/_matrix/key/v2/server", async c =>
            {
                c.Response.ContentType = "application/json";
                c.Response.ContentLength = 1000;
                await c.Response.WriteAsync("{\"server_name\": \"exa");
                await c.Response.Body.FlushAsync();
                c.Abort();
            }),
        });
        AssertFinding(run, "net.connection_reset", Severity.Error);
    }
}
