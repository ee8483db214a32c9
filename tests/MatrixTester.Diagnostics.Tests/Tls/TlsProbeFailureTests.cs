using System.Net;
using System.Net.Sockets;
using MatrixTester.Diagnostics.Tls;
using static MatrixTester.Diagnostics.Tests.Tls.TlsTestContext;

namespace MatrixTester.Diagnostics.Tests.Tls;

/// <summary>Servers that fail the handshake, each of which must become a clear finding rather than a raw error.</summary>
public sealed class TlsProbeFailureTests
{
    private static readonly DiagnosisOptions Options = new() { ConnectTimeout = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task Plain_http_server_is_reported_as_not_tls()
    {
        await using var server = LoopbackTlsServer.StartRaw(async (stream, ct) =>
        {
            await ReadClientHelloAsync(stream, ct);
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), ct);
        });

        var result = await ProbeAsync(server);

        Assert.False(result.Succeeded);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("tls.not_tls", finding.Id);
        Assert.Contains("plain HTTP", finding.Summary);
        Assert.Contains("HTTP/1.1 400 Bad Request", finding.Detail);
    }

    [Fact]
    public async Task Server_choosing_tls_1_1_is_reported_as_too_old()
    {
        await using var server = LoopbackTlsServer.StartRaw(async (stream, ct) =>
        {
            await ReadClientHelloAsync(stream, ct);
            await stream.WriteAsync(ServerHello(0x0302), ct);
            await ReadClientHelloAsync(stream, ct);
        });

        var result = await ProbeAsync(server);

        var finding = Assert.Single(result.Findings);
        Assert.Equal("tls.protocol.too_old", finding.Id);
        Assert.Contains("only offers TLS 1.1", finding.Summary);
    }

    [Fact]
    public async Task Protocol_version_alert_is_reported_as_too_old()
    {
        await using var server = LoopbackTlsServer.StartRaw(async (stream, ct) =>
        {
            await ReadClientHelloAsync(stream, ct);
            // What a TLS 1.0-only server answers to a TLS 1.2+ ClientHello: fatal alert protocol_version (70).
            await stream.WriteAsync(new byte[] { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 70 }, ct);
        });

        var result = await ProbeAsync(server);

        Assert.Equal("tls.protocol.too_old", Assert.Single(result.Findings).Id);
    }

    [Fact]
    public async Task Server_that_never_answers_the_handshake_times_out()
    {
        await using var server = LoopbackTlsServer.StartRaw((stream, ct) => Task.Delay(Timeout.Infinite, ct));

        var result = await ProbeAsync(server);

        var finding = Assert.Single(result.Findings);
        Assert.Equal("net.timeout", finding.Id);
        Assert.Contains("TLS handshake", finding.Summary);
    }

    [Fact]
    public async Task Caller_cancellation_propagates_instead_of_becoming_a_finding()
    {
        // The caller cancels once the ClientHello is in, i.e. mid-handshake, well inside the connect timeout.
        var hello = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackTlsServer.StartRaw(async (stream, ct) =>
        {
            await stream.ReadExactlyAsync(new byte[1], ct);
            hello.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var stream = await server.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var probe = new TlsProbe(Anchors, new DiagnosisOptions { ConnectTimeout = TimeSpan.FromMinutes(5) }, TimeProvider.System);

        var handshake = probe.HandshakeAsync(stream, "matrix.example.test", server.Endpoint, cancel.Token);
        await hello.Task.WaitAsync(TestContext.Current.CancellationToken);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake);
    }

    [Fact]
    public async Task Server_that_resets_the_connection_is_reported()
    {
        await using var server = LoopbackTlsServer.StartRaw(async (stream, ct) =>
        {
            await ReadClientHelloAsync(stream, ct);
            stream.Socket.LingerState = new LingerOption(true, 0); // close with RST
            stream.Socket.Close();
        });

        var result = await ProbeAsync(server);

        Assert.Equal("net.connection_reset", Assert.Single(result.Findings).Id);
    }

    [Fact]
    public async Task Refused_connection_is_classified()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);

        var error = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(endpoint, TestContext.Current.CancellationToken).AsTask());
        var finding = TlsFailureClassifier.Classify(error, endpoint.ToString());

        Assert.Equal("net.connection_refused", finding.Id);
        Assert.Equal(endpoint.ToString(), finding.Subject);
    }

    /// <summary>Reads what the client sent first (its ClientHello, which fits one read on loopback).</summary>
    private static async Task<int> ReadClientHelloAsync(NetworkStream stream, CancellationToken ct) =>
        await stream.ReadAsync(new byte[4096], ct);

    /// <summary>A minimal ServerHello record choosing <paramref name="version"/> and TLS_RSA_WITH_AES_128_CBC_SHA.</summary>
    private static byte[] ServerHello(int version)
    {
        byte[] body = [(byte)(version >> 8), (byte)version, .. new byte[32], 0x00, 0x00, 0x2F, 0x00];
        byte[] handshake = [0x02, 0x00, 0x00, (byte)body.Length, .. body];
        return [0x16, (byte)(version >> 8), (byte)version, 0x00, (byte)handshake.Length, .. handshake];
    }

    private static async Task<TlsHandshakeResult> ProbeAsync(LoopbackTlsServer server)
    {
        await using var stream = await server.ConnectAsync();
        var probe = new TlsProbe(Anchors, Options, TimeProvider.System);
        return await probe.HandshakeAsync(stream, "matrix.example.test", server.Endpoint, TestContext.Current.CancellationToken);
    }
}
