using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>What one exchange with one server produced: a validated response, or a failure as data.</summary>
internal sealed record DnsExchangeResult(DnsResponse? Response, DnsOutcome Outcome, string? Error, bool UsedTcp);

/// <summary>
/// One query to one server: UDP first, TCP when the UDP answer has TC=1 (RFC 1035 section 4.2; RFC 7766 section 5).
/// Stray or spoofed UDP datagrams are ignored and counted, not trusted.
/// </summary>
internal sealed class DnsExchange(IPEndPoint server, string name, DnsRecordType type)
{
    private const int MaxUdpMessage = 65535;

    private bool overTcp;
    private int ignored;
    private string? lastIgnoredReason;

    /// <summary>Runs the exchange. Only <paramref name="cancellationToken"/> cancels it; the caller maps that to a timeout or rethrows.</summary>
    public async Task<DnsExchangeResult> RunAsync(CancellationToken cancellationToken)
    {
        var id = DnsQueryWriter.NewId();
        var query = DnsQueryWriter.Build(id, name, type, edns: true);
        try
        {
            var response = await UdpAsync(query, id, cancellationToken);
            if (!response.Truncated)
            {
                return new DnsExchangeResult(response, DnsOutcome.NoError, null, UsedTcp: false);
            }
            overTcp = true;
            response = await TcpAsync(query, id, cancellationToken);
            return new DnsExchangeResult(response, DnsOutcome.NoError, null, UsedTcp: true);
        }
        catch (DnsFormatException e)
        {
            return new DnsExchangeResult(null, DnsOutcome.MalformedResponse, $"{server} sent a malformed response{Via}: {e.Message}", overTcp);
        }
        catch (SocketException e)
        {
            return new DnsExchangeResult(null, DnsOutcome.NetworkError, $"{server} could not be reached{Via}: {e.Message} ({e.SocketErrorCode})", overTcp);
        }
        catch (IOException e)
        {
            return new DnsExchangeResult(null, DnsOutcome.NetworkError, $"{server}{Via}: {e.Message}", overTcp);
        }
    }

    /// <summary>Names TCP in messages: a server that sets TC=1 but has no TCP listener is a common misconfiguration.</summary>
    private string Via => overTcp ? " over TCP (after a truncated UDP answer)" : "";

    /// <summary>What to report when the time ran out: a plain timeout, or one where only unusable datagrams came back.</summary>
    public DnsExchangeResult TimedOut(TimeSpan waited)
    {
        var within = DnsClient.Describe(waited);
        return ignored == 0
            ? new DnsExchangeResult(null, DnsOutcome.Timeout, $"no response from {server}{Via} within {within}", overTcp)
            : new DnsExchangeResult(null, DnsOutcome.MalformedResponse,
                $"no valid response from {server} within {within}; ignored {ignored} that did not match the query (last: {lastIgnoredReason})", false);
    }

    private async Task<DnsResponse> UdpAsync(byte[] query, ushort id, CancellationToken cancellationToken)
    {
        // A connected socket makes the kernel drop datagrams from other sources and surfaces ICMP unreachable as an error.
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken);
        var buffer = new byte[MaxUdpMessage];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            var response = DnsResponseParser.Parse(buffer.AsSpan(0, received), id, name, type, out var reason);
            if (response is not null)
            {
                return response;
            }
            // RFC 5452 section 9.1: a non-matching datagram is dropped and we keep listening for the real answer.
            ignored++;
            lastIgnoredReason = reason;
        }
    }

    private async Task<DnsResponse> TcpAsync(byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken);

        // RFC 1035 section 4.2.2: each message is prefixed with a two-byte length.
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellationToken);

        var prefix = new byte[2];
        await ReadExactlyAsync(socket, prefix, "the length prefix", cancellationToken);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await ReadExactlyAsync(socket, message, "the response", cancellationToken);

        // Over TCP nobody can inject a datagram, so a response that does not match is a broken server, not noise.
        return DnsResponseParser.Parse(message, id, name, type, out var reason)
            ?? throw new DnsFormatException($"the TCP response did not match the query: {reason}");
    }

    private async Task ReadExactlyAsync(Socket socket, byte[] buffer, string what, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"{server} closed the TCP connection after {filled} of {buffer.Length} bytes of {what}");
            }
            filled += read;
        }
    }
}
