using System.Net;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab.Dns;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Lab;

/// <summary>
/// A small internet on loopback: an authoritative DNS server with a zone described in code, the lab PKI (trusted
/// through <see cref="DiagnosisOptions.ExtraTrustedRoots"/>), and HTTPS or raw TCP hosts on distinct 127.x.y.z
/// addresses. The engine is pointed at it only through its ordinary options.
/// </summary>
public sealed class FederationLab : IAsyncDisposable
{
    // Each test process (several run at once under `dotnet test` of the solution) takes its own 127.N.0.0/16,
    // picked from the process id, so processes do not hand out the same address.
    private static readonly int Block = 1 + (Environment.ProcessId % 250);
    private static int _nextAddress;
    private static readonly Lazy<string> RootPemFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"matrixtester-lab-root-{Environment.ProcessId}.pem");
        LabPki.Instance.WriteRootPem(path);
        return path;
    });

    private readonly List<IAsyncDisposable> _hosts = [];

    private FederationLab(LabDnsServer dns) => Dns = dns;

    public LabDnsServer Dns { get; }

    public LabZone Zone => Dns.Zone;

    public LabPki Pki => LabPki.Instance;

    public static string RootPemPath => RootPemFile.Value;

    public static Task<FederationLab> StartAsync() => Task.FromResult(new FederationLab(new LabDnsServer()));

    /// <summary>
    /// A loopback IPv4 address no other scenario in this process uses, with ports 443 and 8448 free (checked, in case
    /// another process on the machine uses the same block).
    /// </summary>
    public static IPAddress NewAddress()
    {
        while (true)
        {
            var n = Interlocked.Increment(ref _nextAddress);
            var (b2, b3) = ((n >> 8) & 0xFF, n & 0xFF);
            if (b3 is 0 or 255 || n >= 0xFF00)
            {
                continue;
            }
            var address = new IPAddress([127, (byte)Block, (byte)b2, (byte)b3]);
            if (PortFree(address, 443) && PortFree(address, 8448))
            {
                return address;
            }
        }
    }

    private static bool PortFree(IPAddress address, int port)
    {
        try
        {
            using var probe = new System.Net.Sockets.TcpListener(address, port);
            probe.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>A free TCP port on ::1 (the only IPv6 loopback address, so IPv6 hosts differ by port instead).</summary>
    public static int FreeIPv6Port()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.IPv6Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>An HTTPS host at <paramref name="address"/>:<paramref name="port"/> with a lab certificate.</summary>
    public async Task<LabHttpsHost> HttpsAsync(IPAddress address, int port, LabCertificate certificate, Action<LabRoutes> routes, bool http2 = false)
    {
        var table = new LabRoutes();
        routes(table);
        var host = await LabHttpsHost.StartAsync(new IPEndPoint(address, port), certificate.CreateContext(), table, http2);
        return Own(host);
    }

    /// <summary>Forget the requests every HTTPS host logged (long benchmark runs).</summary>
    public void ClearRequestLogs()
    {
        lock (_hosts)
        {
            foreach (var host in _hosts.OfType<LabHttpsHost>())
            {
                host.Routes.ClearLog();
            }
        }
    }

    /// <summary>Dispose <paramref name="host"/> with the lab (proxies and other helpers built outside it).</summary>
    public T Own<T>(T host) where T : IAsyncDisposable
    {
        lock (_hosts)
        {
            _hosts.Add(host);
        }
        return host;
    }

    /// <summary>A raw TCP host for hostile behaviour.</summary>
    public LabRawHost Raw(IPAddress address, int port, Func<System.Net.Sockets.Socket, CancellationToken, Task> handler)
    {
        var host = new LabRawHost(new IPEndPoint(address, port), handler);
        lock (_hosts)
        {
            _hosts.Add(host);
        }
        return host;
    }

    /// <summary>Engine options pointing at this lab: its DNS server, its root CA, private (loopback) addresses allowed.</summary>
    public DiagnosisOptions Options(Action<DiagnosisOptions>? configure = null)
    {
        var options = new DiagnosisOptions
        {
            ExtraTrustedRoots = RootPemPath,
            AllowPrivateNetworks = true,
            DnsTimeout = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(3),
            RequestTimeout = TimeSpan.FromSeconds(3),
            OverallDeadline = TimeSpan.FromSeconds(20),
        };
        options.NameServers.Add(Dns.EndPoint.ToString());
        configure?.Invoke(options);
        return options;
    }

    /// <param name="time">The engine's clock and timers; a fake one lets a test pass deadlines by advancing it.</param>
    public IDiagnosisService Engine(Action<DiagnosisOptions>? configure = null, TimeProvider? time = null) =>
        DiagnosisEngine.Create(Options(configure), time ?? TimeProvider.System);

    /// <summary>Run a diagnosis to the end, keeping every streamed event.</summary>
    /// <param name="time">With a fake clock the run ends only when the test advances it past the deadlines that matter.</param>
    public async Task<LabRun> DiagnoseAsync(string serverName, Action<DiagnosisOptions>? configure = null, TimeProvider? time = null)
    {
        var events = new List<DiagnosisEvent>();
        // Bounded by the engine's own overall deadline, so no cancellation token is needed here.
        await foreach (var e in Engine(configure, time).RunAsync(serverName, CancellationToken.None))
        {
            events.Add(e);
        }
        var report = events.OfType<CompletedEvent>().Single().Report;
        return new LabRun(report, events);
    }

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] hosts;
        lock (_hosts)
        {
            hosts = [.. _hosts];
        }
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
        await Dns.DisposeAsync();
    }
}

/// <summary>A finished lab diagnosis: the report and every event in the order it streamed.</summary>
public sealed record LabRun(DiagnosisReport Report, IReadOnlyList<DiagnosisEvent> Events)
{
    public IReadOnlyList<Finding> Findings => Report.Findings;

    public bool Has(string findingId) => Report.Findings.Any(f => f.Id == findingId);

    public Finding Finding(string findingId) => Report.Findings.First(f => f.Id == findingId);
}
