using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Lab.Hosts;

/// <summary>
/// A TCP front end (a load balancer, a CDN edge) that forwards to a real host and closes its FIRST connection once
/// the client has sent nothing for <see cref="Idle"/>: the fate of a speculative connection opened before it is used.
/// Later connections are forwarded as long as they last.
/// </summary>
public sealed class IdleClosingProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _connections;

    public IdleClosingProxy(IPEndPoint listen, IPEndPoint target, TimeSpan idle)
    {
        _target = target;
        Idle = idle;
        _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(listen);
        _listener.Listen(64);
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public TimeSpan Idle { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completes once the first connection has been closed for sitting idle (both of its sockets closed).</summary>
    public Task FirstDropped => _dropped.Task;

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var first = Interlocked.Increment(ref _connections) == 1;
            _ = Task.Run(() => ServeAsync(client, first, _stopping.Token));
        }
    }

    private async Task ServeAsync(Socket client, bool closeWhenIdle, CancellationToken token)
    {
        using var _ = client;
        using var upstream = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await upstream.ConnectAsync(_target, token);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(token);
            var down = PumpAsync(upstream, client, null, done.Token);
            var idled = await PumpAsync(client, upstream, closeWhenIdle ? Idle : null, done.Token);
            await done.CancelAsync();
            if (idled)
            {
                client.Dispose();
                upstream.Dispose();
                _dropped.TrySetResult();
            }
            await down;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either side went away or the proxy is stopping.
        }
    }

    /// <summary>Copies until EOF, or until nothing arrived for <paramref name="idle"/> (then true: drop the connection).</summary>
    private static async Task<bool> PumpAsync(Socket from, Socket to, TimeSpan? idle, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (idle is { } limit)
            {
                wait.CancelAfter(limit);
            }
            int read;
            try
            {
                read = await from.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                return true; // idle too long: the caller closes both sockets
            }
            if (read == 0)
            {
                return false;
            }
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        _stopping.Dispose();
    }
}
