using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MatrixTester.Lab;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Diagnostics.Tests.Federation;

/// <summary>A TLS server whose every connection runs a script (given the connection's index), for byte-exact HTTP/1.1 behaviour.</summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _requestLines = [];
    private readonly List<string> _hosts = [];
    private int _connections;

    public ScriptedServer(LabCertificate certificate, Func<int, SslStream, RequestReader, CancellationToken, Task> script)
    {
        _listener = new TcpListener(FederationLab.NewAddress(), 0);
        _listener.Start();
        var context = certificate.CreateContext();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                var index = Interlocked.Increment(ref _connections) - 1;
                _ = Task.Run(async () =>
                {
                    using var _ = client;
                    try
                    {
                        await using var ssl = new SslStream(client.GetStream());
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context }, _stop.Token);
                        await script(index, ssl, new RequestReader(ssl, this), _stop.Token);
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
                    {
                    }
                });
            }
        });
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<string> RequestLines
    {
        get
        {
            lock (_requestLines)
            {
                return [.. _requestLines];
            }
        }
    }

    public IReadOnlyList<string> HostHeaders
    {
        get
        {
            lock (_requestLines)
            {
                return [.. _hosts];
            }
        }
    }

    internal void Record(string head)
    {
        var lines = head.Split("\r\n");
        lock (_requestLines)
        {
            _requestLines.Add(string.Join(' ', lines[0].Split(' ').Take(2)));
            _hosts.Add(lines.First(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))[5..].Trim());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>Reads whole request heads (GETs have no body) off one connection.</summary>
internal sealed class RequestReader(Stream stream, ScriptedServer server)
{
    private readonly StringBuilder _pending = new();

    public async Task ReadAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (count > 0)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                server.Record(text[..end]);
                _pending.Remove(0, end + 4);
                count--;
                continue;
            }
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("client closed");
            }
            _pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}
