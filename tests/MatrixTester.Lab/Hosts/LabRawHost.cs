using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Lab.Hosts;

/// <summary>
/// A bare TCP listener whose connections go to a scenario's handler: for servers no real web server would be
/// (never finishes the handshake, speaks plain HTTP on a TLS port, resets mid-response, drips bytes).
/// </summary>
public sealed class LabRawHost : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<Socket> _accepted = [];

    public LabRawHost(IPEndPoint endPoint, Func<Socket, CancellationToken, Task> handler)
    {
        _listener = new TcpListener(endPoint);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _loop = AcceptLoopAsync(handler);
    }

    public IPEndPoint EndPoint { get; }

    public int Connections { get; private set; }

    private async Task AcceptLoopAsync(Func<Socket, CancellationToken, Task> handler)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Connections++;
            lock (_accepted)
            {
                _accepted.Add(socket);
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    await handler(socket, _stop.Token);
                }
                catch (Exception)
                {
                    // Hostile handlers end by being cut off; nothing to report from the server side.
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }
        await _loop;
        _stop.Dispose();
    }
}
