using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MatrixTester.Lab.Peer;

namespace MatrixTester.Lab.Rtc;

/// <summary>
/// The lab's MatrixRTC stand-ins (node, tests/lab-rtc/rtc.js): an authorization service at https://<see cref="ServiceName"/>
/// that verifies a user's OpenID token by calling their homeserver's userinfo endpoint over federation (through the
/// lab DNS, trusting the lab root) and mints a LiveKit token with livekit-server-sdk, and an SFU at
/// https://<see cref="SfuName"/> whose <c>/rtc/validate</c> checks the token with its own key and secret. Both names
/// have A records in the lab zone. Disposing kills node (so does the end of the test process: node exits when its
/// stdin closes).
/// </summary>
public sealed class LabRtcService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly PeerOutput _output;
    private readonly string _files;
    private int _disposed;

    private LabRtcService(Process process, PeerOutput output, string files, string serviceName, IPAddress serviceAddress, string sfuName, IPAddress sfuAddress)
    {
        (_process, _output, _files) = (process, output, files);
        (ServiceName, ServiceAddress, SfuName, SfuAddress) = (serviceName, serviceAddress, sfuName, sfuAddress);
    }

    public string ServiceName { get; }

    /// <summary>Where the service listens (on 443) and its call-backs leave from.</summary>
    public IPAddress ServiceAddress { get; }

    public string SfuName { get; }

    public IPAddress SfuAddress { get; }

    /// <summary>The <c>livekit_service_url</c> a homeserver publishes for this service.</summary>
    public string ServiceUrl => $"https://{ServiceName}";

    /// <summary>The service's JSON log lines so far (each has "event" and "at").</summary>
    public IReadOnlyList<JsonObject> Log => _output.Events;

    public string Output => _output.Text;

    public IReadOnlyList<JsonObject> Events(string name) => _output.Named(name);

    public Task<JsonObject> WaitForAsync(string name, Func<JsonObject, bool>? match = null, TimeSpan? timeout = null) =>
        _output.WaitForAsync(name, match, timeout ?? TimeSpan.FromSeconds(10), () => _process.HasExited, $"The lab authorization service {ServiceName}");

    public static async Task<LabRtcService> StartAsync(FederationLab lab, RtcFault fault = RtcFault.None, string serviceName = "jwt.rtc.lab",
        string sfuName = "sfu.rtc.lab", bool roomAutoCreate = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        await LabPeerRuntime.EnsurePackagesAsync(Directory, Path.Combine("livekit-server-sdk", "package.json"), cancellationToken);
        var (serviceAddress, sfuAddress) = (FederationLab.NewAddress(), FederationLab.NewAddress());
        var files = System.IO.Directory.CreateTempSubdirectory("matrixtester-lab-rtc-").FullName;
        var serviceDir = System.IO.Directory.CreateDirectory(Path.Combine(files, "service")).FullName;
        var sfuDir = System.IO.Directory.CreateDirectory(Path.Combine(files, "sfu")).FullName;
        var (certPath, keyPath) = PeerCertificate.Write(lab, serviceName, serviceDir);
        var (sfuCertPath, sfuKeyPath) = PeerCertificate.Write(lab, sfuName, sfuDir);
        lab.Zone.A(serviceName, serviceAddress.ToString());
        lab.Zone.A(sfuName, sfuAddress.ToString());

        var secret = RandomNumberGenerator.GetHexString(48, lowercase: true);
        List<string> arguments =
        [
            Path.Combine(Directory, "rtc.js"),
            "--listen", $"{serviceAddress}:443", "--sfu-listen", $"{sfuAddress}:443",
            "--cert", certPath, "--key", keyPath, "--sfu-cert", sfuCertPath, "--sfu-key", sfuKeyPath,
            "--dns", lab.Dns.EndPoint.ToString(), "--api-key", "lab-api-key",
            "--sfu-url", fault.HasFlag(RtcFault.LocalhostUrl) ? "ws://localhost:7880" : $"wss://{sfuName}",
            "--room-auto-create", roomAutoCreate ? "true" : "false",
        ];
        var faults = new[] { (RtcFault.EgressBlocked, "egress-blocked"), (RtcFault.LegacyOnly, "no-get-token") }.Where(f => fault.HasFlag(f.Item1)).Select(f => f.Item2).ToArray();
        if (faults.Length > 0)
        {
            arguments.AddRange(["--fault", string.Join(',', faults)]);
        }
        var start = new ProcessStartInfo(LabPeerRuntime.Node, arguments)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The secrets go through the environment, not the command line, so ps does not show them.
        start.Environment["LAB_RTC_API_SECRET"] = secret;
        start.Environment["LAB_RTC_SFU_SECRET"] = fault.HasFlag(RtcFault.KeyMismatch) ? RandomNumberGenerator.GetHexString(48, lowercase: true) : secret;
        start.Environment["NODE_EXTRA_CA_CERTS"] = FederationLab.RootPemPath;
        var output = new PeerOutput();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data, standardError: false);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data, standardError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new LabRtcService(process, output, files, serviceName, serviceAddress, sfuName, sfuAddress);
        try
        {
            await service.WaitForAsync("listening", timeout: TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"The lab authorization service did not start. Its output:\n{output.Text}", e);
        }
        return lab.Own(service);
    }

    /// <summary>tests/lab-rtc beside tests/lab-peer.</summary>
    public static string Directory => Path.Combine(Path.GetDirectoryName(LabPeerRuntime.PeerDirectory)!, "lab-rtc");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            _process.StandardInput.Close();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException)
        {
            // already gone, or will be: node also exits on stdin EOF
        }
        finally
        {
            _process.Dispose();
            System.IO.Directory.Delete(_files, recursive: true);
        }
    }
}
