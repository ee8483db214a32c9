using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Diagnostics.Tests.Tls;

/// <summary>
/// A TCP listener on a 127.0.0.x address that either speaks TLS with a lab certificate (sending exactly its chain)
/// or runs a raw behaviour (plain HTTP, silence, a hand-made old ServerHello).
/// </summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Func<NetworkStream, CancellationToken, Task> behaviour;
    private readonly Task acceptLoop;
    private volatile string? lastSni;

    private LoopbackTlsServer(string address, Func<LoopbackTlsServer, NetworkStream, CancellationToken, Task> behaviour)
    {
        listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        this.behaviour = (stream, ct) => behaviour(this, stream, ct);
        acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndpoint;

    public string Endpoint => EndPoint.ToString();

    /// <summary>The SNI the last TLS client sent ("" when none).</summary>
    public string? LastSni => lastSni;

    public static LoopbackTlsServer StartTls(LabCertificate certificate, string address = "127.0.0.1")
    {
        var context = certificate.CreateContext();
        return new LoopbackTlsServer(address, async (server, stream, ct) =>
        {
            await using var ssl = new SslStream(stream);
            // Record SNI from the ClientHello itself: it happens before the client can finish its handshake,
            // so a test reading LastSni after its own handshake never races the server.
            await ssl.AuthenticateAsServerAsync((_, hello, _, _) =>
            {
                server.lastSni = hello.ServerName;
                return ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = context,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                });
            }, null, ct);
            // Answer any request with a tiny HTTP response (enough for an HttpClient test), then hold the
            // connection until the client is done with it.
            var buffer = new byte[4096];
            while (await ssl.ReadAsync(buffer, ct) > 0)
            {
                await ssl.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), ct);
            }
        });
    }

    public static LoopbackTlsServer StartRaw(Func<NetworkStream, CancellationToken, Task> behaviour, string address = "127.0.0.1") =>
        new(address, (_, stream, ct) => behaviour(stream, ct));

    public async Task<NetworkStream> ConnectAsync()
    {
        var socket = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(EndPoint);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await behaviour(client.GetStream(), stop.Token);
                    }
                    catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException)
                    {
                        // The client gave up or rejected us: that is what several tests are about.
                    }
                }
            });
        }
    }
}
