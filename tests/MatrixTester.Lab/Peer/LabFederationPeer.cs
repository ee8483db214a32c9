using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Lab.Peer;

/// <summary>
/// A homeserver-like lab peer (node, tests/lab-peer/peer.js) that plays the TARGET of a two-way federation check: it
/// verifies X-Matrix with @rocket.chat/federation-sdk, which resolves the origin through the lab DNS and fetches its
/// keys over HTTPS (trusting the lab root), and runs a notary. Its name has an A record in the lab zone; it serves
/// its lab certificate on <see cref="EndPoint"/>. Disposing kills node (so does the end of the test process: node
/// exits when its stdin closes).
/// </summary>
public sealed class LabFederationPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly PeerOutput _output;
    private readonly string _files;
    private int _disposed;

    private LabFederationPeer(Process process, PeerOutput output, string files, string serverName, IPEndPoint endPoint,
        LabSigningKey key, PeerFault fault, IPAddress? otherAddress)
    {
        (_process, _output, _files) = (process, output, files);
        (ServerName, EndPoint, SigningKey, Fault, OtherAddress) = (serverName, endPoint, key, fault, otherAddress);
    }

    public string ServerName { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>The peer's own signing key (the same seed was given to node).</summary>
    public LabSigningKey SigningKey { get; }

    public PeerFault Fault { get; }

    /// <summary>node's process id (to check that it is gone after <see cref="DisposeAsync"/>).</summary>
    public int ProcessId { get; private init; }

    /// <summary>Where outbound connections leave from with <see cref="PeerFault.FetchesFromOtherAddress"/>.</summary>
    public IPAddress? OtherAddress { get; }

    /// <summary>The peer's JSON log lines so far (each has "event" and "at").</summary>
    public IReadOnlyList<JsonObject> Log => _output.Events;

    /// <summary>Everything the peer printed (for failure messages).</summary>
    public string Output => _output.Text;

    public IReadOnlyList<JsonObject> Events(string name) => _output.Named(name);

    /// <summary>
    /// The first log line named <paramref name="name"/> that matches; waits for it (10 s unless told), because node's
    /// stdout is read asynchronously and may lag the HTTP answer it logged before sending.
    /// </summary>
    public Task<JsonObject> WaitForAsync(string name, Func<JsonObject, bool>? match = null, TimeSpan? timeout = null) =>
        _output.WaitForAsync(name, match, timeout ?? TimeSpan.FromSeconds(10), () => _process.HasExited, $"The lab peer {ServerName}");

    public static Task<LabFederationPeer> StartAsync(FederationLab lab, string serverName, PeerFault fault = PeerFault.None,
        CancellationToken cancellationToken = default) =>
        StartAsync(lab, serverName, new LabPeerOptions { Fault = fault }, cancellationToken);

    public static async Task<LabFederationPeer> StartAsync(FederationLab lab, string serverName, LabPeerOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(options);
        await LabPeerRuntime.EnsureInstalledAsync(cancellationToken);
        var address = FederationLab.NewAddress();
        var other = options.Fault.HasFlag(PeerFault.FetchesFromOtherAddress) ? options.OtherAddress ?? FederationLab.NewAddress() : null;
        var seed = RandomNumberGenerator.GetBytes(32);
        var key = new LabSigningKey(seed, options.KeyId);
        var files = Directory.CreateTempSubdirectory("matrixtester-lab-peer-").FullName;
        var (certPath, keyPath) = PeerCertificate.Write(lab, serverName, files);
        lab.Zone.A(serverName, address.ToString());

        var output = new PeerOutput();
        var process = Launch(lab, serverName, new IPEndPoint(address, options.Port), options, other, Convert.ToBase64String(seed), certPath, keyPath, output);
        var peer = new LabFederationPeer(process, output, files, serverName, new IPEndPoint(address, options.Port), key, options.Fault, other)
        {
            ProcessId = process.Id,
        };
        try
        {
            await peer.WaitForAsync("listening", timeout: options.StartTimeout);
        }
        catch (TimeoutException e)
        {
            await peer.DisposeAsync();
            throw new InvalidOperationException($"The lab peer {serverName} did not start. Its output:\n{output.Text}", e);
        }
        return lab.Own(peer);
    }

    private static Process Launch(FederationLab lab, string serverName, IPEndPoint endPoint, LabPeerOptions options,
        IPAddress? other, string seed, string certPath, string keyPath, PeerOutput output)
    {
        List<string> arguments =
        [
            Path.Combine(LabPeerRuntime.PeerDirectory, "peer.js"),
            "--server-name", serverName, "--listen", endPoint.ToString(), "--cert", certPath, "--key", keyPath,
            "--dns", lab.Dns.EndPoint.ToString(), "--key-id", options.KeyId,
            "--timeout-ms", ((int)options.VerifyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        ];
        if (options.Fault != PeerFault.None)
        {
            arguments.AddRange(["--fault", options.Fault.ToArgument()]);
        }
        if (other is not null)
        {
            arguments.AddRange(["--other-address", other.ToString()]);
        }
        var start = new ProcessStartInfo(LabPeerRuntime.Node, arguments)
        {
            WorkingDirectory = LabPeerRuntime.PeerDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The seed goes through the environment, not the command line, so ps does not show it.
        start.Environment["LAB_PEER_SEED"] = seed;
        start.Environment["NODE_EXTRA_CA_CERTS"] = FederationLab.RootPemPath;
        start.Environment["LOG_LEVEL"] = "warn";
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data, standardError: false);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data, standardError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

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
            Directory.Delete(_files, recursive: true);
        }
    }
}
