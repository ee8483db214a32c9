using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace MatrixTester.Lab.Delay;

/// <summary>
/// A loopback TCP proxy that emulates a long network path: it listens where the zone says a host is and forwards to
/// the real host elsewhere on loopback, holding every chunk of data for <see cref="OneWay"/> in each direction. On
/// loopback the kernel completes a TCP connect at once, so the connect round trip is charged to the first forward
/// instead: nothing the client sends reaches the host before one full round trip after the accept, exactly when it
/// would have arrived had the handshake itself taken a round trip. Used by benchmarks; never by the engine.
/// </summary>
public sealed class DelayProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public DelayProxy(IPEndPoint listen, IPEndPoint target, TimeSpan oneWay)
    {
        _target = target;
        OneWay = oneWay;
        _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(listen);
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public IPEndPoint EndPoint { get; }

    public TimeSpan OneWay { get; }

    private static int _total;
    private int _connections;

    /// <summary>Connections accepted so far by this proxy.</summary>
    public int Connections => _connections;

    /// <summary>Connections accepted so far by every proxy in the process (benchmarks count connections per diagnosis).</summary>
    public static int TotalConnections => Volatile.Read(ref _total);

    private async Task AcceptAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            Interlocked.Increment(ref _total);
            _ = Task.Run(() => ServeAsync(client, token), token);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken token)
    {
        var accepted = Stopwatch.GetTimestamp();
        using var _ = client;
        client.NoDelay = true;
        using var upstream = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(_target, token);
            // The SYN/SYN-ACK round trip: the client's first bytes may leave only after it.
            var opensAt = accepted + 2 * Ticks(OneWay);
            var up = PumpAsync(client, upstream, opensAt, token);
            var down = PumpAsync(upstream, client, 0, token);
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either side went away or the proxy is stopping.
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>, each chunk delivered one-way delay after it was read, in order.</summary>
    private async Task PumpAsync(Socket from, Socket to, long notBefore, CancellationToken token)
    {
        var queue = Channel.CreateUnbounded<(long Due, byte[]? Data)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = WriteAsync(queue.Reader, to, token);
        var delay = Ticks(OneWay);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, token);
                var due = Math.Max(Stopwatch.GetTimestamp() + delay, notBefore + delay);
                if (read == 0)
                {
                    queue.Writer.TryWrite((due, null));
                    break;
                }
                queue.Writer.TryWrite((due, buffer.AsSpan(0, read).ToArray()));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            queue.Writer.TryWrite((0, null));
        }
        finally
        {
            queue.Writer.TryComplete();
        }
        await writer;
    }

    private static async Task WriteAsync(ChannelReader<(long Due, byte[]? Data)> queue, Socket to, CancellationToken token)
    {
        await foreach (var (due, data) in queue.ReadAllAsync(token))
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, token);
            }
            if (data is null)
            {
                try
                {
                    to.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                }
                return;
            }
            await to.SendAsync(data, SocketFlags.None, token);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }
}
