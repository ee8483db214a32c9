using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Benchmarks;

internal sealed record ThroughputResult(int Concurrency, int Diagnoses, double Seconds, double CpuMsPerDiagnosis, double BytesPerDiagnosis, double HandshakesPerDiagnosis)
{
    public double PerSecond => Diagnoses / Seconds;
}

/// <summary>
/// Cost without network delay: a healthy delegated server on direct lab hosts. The lab's servers run in this process,
/// so CPU and allocation figures include the server side of every request and handshake (both ends of the TLS).
/// </summary>
internal sealed class CostBenchmark : IAsyncDisposable
{
    private readonly FederationLab _lab;
    private readonly IDiagnosisService _engine;
    private readonly IPEndPoint _homeserver;

    private CostBenchmark(FederationLab lab, IPEndPoint homeserver)
    {
        _lab = lab;
        _homeserver = homeserver;
        _engine = lab.Engine();
    }

    public static async Task<CostBenchmark> StartAsync(bool http2)
    {
        var lab = await FederationLab.StartAsync();
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        lab.Zone.A(Scenario.ServerName, web.ToString()).A("matrix.example.test", hs.ToString());
        var key = LabSigningKey.Create("ed25519:cost");
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(Scenario.ServerName), r => r.Delegate("matrix.example.test:443").ClientWellKnown("https://matrix.example.test")
            .Json("/.well-known/matrix/support", """{"contacts": [{"role": "m.role.admin", "matrix_id": "@admin:example.test"}]}"""), http2);
        var host = await lab.HttpsAsync(hs, 443, lab.Pki.Issue("matrix.example.test"), r => r.Homeserver(Scenario.ServerName, key).ClientApi(), http2);
        return new CostBenchmark(lab, host.EndPoint);
    }

    public async Task<ThroughputResult> ThroughputAsync(int concurrency, TimeSpan duration)
    {
        await DiagnoseAsync(); // warm
        return await MeasureAsync(concurrency, duration, DiagnoseAsync);
    }

    /// <summary>TCP connect + TLS handshake only, against the homeserver host, to price the handshakes a diagnosis makes.</summary>
    public Task<ThroughputResult> HandshakesAsync(int concurrency, TimeSpan duration) => MeasureAsync(concurrency, duration, HandshakeAsync);

    /// <summary>Runs <paramref name="total"/> diagnoses at <paramref name="concurrency"/>, reporting RSS at ten points.</summary>
    public async Task<IReadOnlyList<(int Done, long RssBytes, long HeapBytes)>> RssAsync(int total, int concurrency)
    {
        var points = new List<(int, long, long)>();
        var done = 0;
        var step = Math.Max(1, total / 10);
        var next = 0;
        var gate = new Lock();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= total)
            {
                await DiagnoseAsync();
                var n = Interlocked.Increment(ref done);
                if (n % step == 0)
                {
                    // The lab's own logs grow with every request; they are not the engine's memory.
                    _lab.Dns.ClearQueryLog();
                    _lab.ClearRequestLogs();
                    using var process = Process.GetCurrentProcess();
                    lock (gate)
                    {
                        points.Add((n, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true)));
                    }
                }
            }
        }));
        return points.OrderBy(p => p.Item1).ToList();
    }

    private static async Task<ThroughputResult> MeasureAsync(int concurrency, TimeSpan duration, Func<Task> work)
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocBefore = GC.GetTotalAllocatedBytes(precise: true);
        // Counted by the lab's TLS hosts as they accept each handshake, not inferred from the engine's own account.
        var handshakesBefore = LabHttpsHost.TotalHandshakes;
        var clock = Stopwatch.StartNew();
        var count = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                await work();
                Interlocked.Increment(ref count);
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
        var handshakes = LabHttpsHost.TotalHandshakes - handshakesBefore;
        return new ThroughputResult(concurrency, count, seconds, cpu / count, (double)bytes / count, (double)handshakes / count);
    }

    private async Task DiagnoseAsync()
    {
        await foreach (var _ in _engine.RunAsync(Scenario.ServerName, CancellationToken.None))
        {
        }
    }

    private async Task HandshakeAsync()
    {
        using var socket = new Socket(_homeserver.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(_homeserver);
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "matrix.example.test",
            // Price the handshake itself; the engine's chain inspection is part of the full-diagnosis figure.
#pragma warning disable CA5359 // benchmark client against the lab's own host
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
    }

    public ValueTask DisposeAsync() => _lab.DisposeAsync();
}
