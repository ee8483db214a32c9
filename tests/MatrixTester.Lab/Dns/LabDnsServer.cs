using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Lab.Dns;

/// <summary>
/// An authoritative DNS server on loopback answering from a <see cref="LabZone"/>, on the same OS-assigned port for
/// UDP and TCP so a truncated UDP answer can be retried over TCP exactly as against a real server.
/// </summary>
public sealed class LabDnsServer : IAsyncDisposable
{
    private const int BindAttempts = 50;
    private readonly Socket udp;
    private readonly Socket tcp;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<LabQuery> log = new();
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), LabQueryGate> gates = new();
    private readonly Task udpLoop;
    private readonly Task tcpLoop;

    /// <param name="address">A loopback address; 127.0.0.1 unless a scenario wants several servers apart.</param>
    public LabDnsServer(LabZone? zone = null, IPAddress? address = null)
    {
        Zone = zone ?? new LabZone();
        (udp, tcp) = Bind(address ?? IPAddress.Loopback);
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        udpLoop = Task.Run(ServeUdpAsync);
        tcpLoop = Task.Run(AcceptTcpAsync);
    }

    public LabZone Zone { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>Waited before every response, to emulate a round trip in benchmarks. Zero by default.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>When false, TCP connections are closed at once: a server that truncates over UDP but has no TCP service.</summary>
    public bool TcpEnabled { get; set; } = true;

    /// <summary>Every query received so far, in arrival order (dropped and malformed ones included).</summary>
    public IReadOnlyList<LabQuery> QueryLog => [.. log];

    public void ClearQueryLog() => log.Clear();

    /// <summary>
    /// A gate on the question <paramref name="name"/>/<paramref name="type"/> that signals when it arrives and, with
    /// <paramref name="hold"/>, keeps its answers back until released (one gate per question; watching again replaces it).
    /// </summary>
    public LabQueryGate Watch(string name, DnsRecordType type, bool hold = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        var gate = new LabQueryGate(hold);
        gates[(Normalize(name), type)] = gate;
        return gate;
    }

    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        udp.Dispose();
        tcp.Dispose();
        try
        {
            await Task.WhenAll(udpLoop, tcpLoop);
        }
        catch (OperationCanceledException)
        {
        }
        stopping.Dispose();
    }

    /// <summary>Binds UDP on port 0, then TCP on the port the OS chose; if TCP finds it taken, start over.</summary>
    private static (Socket Udp, Socket Tcp) Bind(IPAddress address)
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                udp.Bind(new IPEndPoint(address, 0));
                tcp.Bind(new IPEndPoint(address, ((IPEndPoint)udp.LocalEndPoint!).Port));
                tcp.Listen(64);
                return (udp, tcp);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < BindAttempts)
            {
                udp.Dispose();
                tcp.Dispose();
            }
        }
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65535];
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. an ICMP error for an earlier reply; the server keeps serving
            }
            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var client = received.RemoteEndPoint;
            // Answer each datagram on its own so one delayed or dropped name does not hold up the rest.
            _ = Task.Run(() => ReplyUdpAsync(query, client, token), token);
        }
    }

    private async Task ReplyUdpAsync(byte[] query, EndPoint client, CancellationToken token)
    {
        try
        {
            if (await ReplyAsync(query, LabTransport.Udp, token) is { } reply)
            {
                await udp.SendToAsync(reply, SocketFlags.None, client, token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The server is stopping, or the client's port is gone; UDP has nobody to tell.
        }
    }

    private async Task AcceptTcpAsync()
    {
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await tcp.AcceptAsync(token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (!TcpEnabled)
            {
                connection.Dispose();
                continue;
            }
            _ = ServeTcpAsync(connection, token);
        }
    }

    /// <summary>RFC 1035 section 4.2.2 / RFC 7766 section 8: two-byte length prefix, several queries per connection.</summary>
    private async Task ServeTcpAsync(Socket connection, CancellationToken token)
    {
        using var _ = connection;
        try
        {
            var prefix = new byte[2];
            while (await ReadExactlyAsync(connection, prefix, token))
            {
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                if (!await ReadExactlyAsync(connection, query, token))
                {
                    return;
                }
                if (await ReplyAsync(query, LabTransport.Tcp, token) is { } reply)
                {
                    var framed = new byte[reply.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                    reply.CopyTo(framed, 2);
                    await connection.SendAsync(framed, SocketFlags.None, token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
    }

    private async Task<byte[]?> ReplyAsync(byte[] query, LabTransport transport, CancellationToken token)
    {
        if (LabResponder.ParseQuery(query) is not { } request)
        {
            return null;
        }
        log.Enqueue(new LabQuery(request.Name, (DnsRecordType)request.Type, transport));
        if (gates.TryGetValue((Normalize(request.Name), (DnsRecordType)request.Type), out var gate))
        {
            await gate.PassAsync(token);
        }
        var delay = ResponseDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, token);
        }
        return LabResponder.Respond(Zone, request, transport);
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken token)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, token);
            if (read == 0)
            {
                return false;
            }
            filled += read;
        }
        return true;
    }
}
