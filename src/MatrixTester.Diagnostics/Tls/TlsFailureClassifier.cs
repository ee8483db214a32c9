using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// Turns a connect or handshake exception into a finding that names the endpoint and says what happened in plain
/// words. When the server's first bytes are known (see <see cref="TlsProbe"/>), they decide: plain HTTP, a
/// protocol_version alert, or a ServerHello for TLS 1.0/1.1 are each far clearer than OpenSSL's error text.
/// </summary>
public static class TlsFailureClassifier
{
    private const byte AlertRecord = 0x15;
    private const byte HandshakeRecord = 0x16;
    private const byte ProtocolVersionAlert = 70;

    public static Finding Classify(Exception exception, string endpoint) => Classify(exception, endpoint, []);

    /// <param name="firstBytesReceived">The first bytes the server sent during the handshake, if recorded.</param>
    public static Finding Classify(Exception exception, string endpoint, ReadOnlySpan<byte> firstBytesReceived)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (FromFirstBytes(firstBytesReceived, endpoint) is { } sniffed)
        {
            return sniffed;
        }
        if (Find<SocketException>(exception) is { } socket)
        {
            return FromSocket(socket, endpoint);
        }
        if (Find<TimeoutException>(exception) is not null || Find<OperationCanceledException>(exception) is not null)
        {
            return TimedOut(endpoint, "while connecting or during the TLS handshake");
        }
        var messages = Messages(exception);
        if (messages.Contains("unsupported protocol", StringComparison.OrdinalIgnoreCase)
            || messages.Contains("protocol version", StringComparison.OrdinalIgnoreCase))
        {
            return TlsFindings.ProtocolTooOld.Create(
                $"{endpoint} does not support TLS 1.2 or 1.3.",
                $"The handshake failed on the protocol version: {messages}", endpoint);
        }
        if (exception is AuthenticationException or IOException)
        {
            var summary = messages.Contains("EOF", StringComparison.OrdinalIgnoreCase) || messages.Contains("0 bytes", StringComparison.Ordinal)
                ? $"{endpoint} closed the connection during the TLS handshake."
                : $"The TLS handshake with {endpoint} failed.";
            return TlsFindings.HandshakeFailed.Create(summary, messages, endpoint);
        }
        return TlsFindings.HandshakeFailed.Create($"Connecting to {endpoint} failed.", messages, endpoint);
    }

    /// <summary>A timeout finding, for callers that bound the connect or handshake with their own deadline.</summary>
    public static Finding TimedOut(string endpoint, string during, TimeSpan? after = null) =>
        ConnectionFindings.Timeout.Create(
            Phrase.Of(after is null ? "net.timeout.Summary" : "net.timeout.Summary.within", ("address", endpoint), ("seconds", after?.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)))
                .WithTerm("during", During(during)),
            new Phrase("net.timeout.Detail"), endpoint);

    /// <summary>What the address did not answer, as a resource key (the English of each is the phrase callers pass).</summary>
    private static string During(string during) => during switch
    {
        "the TCP connection attempt" => "net.timeout.during.tcp",
        "the TLS handshake" => "net.timeout.during.tls",
        "while connecting or during the TLS handshake" => "net.timeout.during.either",
        "with a complete key response" => "net.timeout.during.keys",
        _ => "net.timeout.during.connect",
    };

    private static Finding FromSocket(SocketException socket, string endpoint) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => ConnectionFindings.Refused.Create(
            Phrase.Of("net.connection_refused.Summary", ("address", endpoint)), null, endpoint, rawDetail: socket.Message),
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => ConnectionFindings.Reset.Create(
            Phrase.Of("net.connection_reset.Summary", ("address", endpoint)), null, endpoint, rawDetail: socket.Message),
        SocketError.TimedOut => TimedOut(endpoint, "the connection attempt"),
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.HostDown
            or SocketError.AddressNotAvailable or SocketError.NetworkDown => ConnectionFindings.Unreachable.Create(
            Phrase.Of("net.unreachable.Summary", ("address", endpoint)), null, endpoint, rawDetail: socket.Message),
        _ => TlsFindings.HandshakeFailed.Create($"Connecting to {endpoint} failed.", $"{socket.SocketErrorCode}: {socket.Message}", endpoint),
    };

    private static Finding? FromFirstBytes(ReadOnlySpan<byte> bytes, string endpoint)
    {
        if (bytes.Length == 0)
        {
            return null;
        }
        if (bytes[0] == AlertRecord && bytes.Length >= 7 && bytes[6] == ProtocolVersionAlert)
        {
            return TlsFindings.ProtocolTooOld.Create(
                $"{endpoint} refused TLS 1.2 and 1.3: it only speaks an older, insecure TLS version.",
                $"The server answered the ClientHello with a protocol_version alert (record version " +
                $"{TlsNames.WireVersion(bytes[1] << 8 | bytes[2])}). Either it only has TLS 1.0/1.1 enabled, or its " +
                "TLS 1.2/1.3 setup is unusable to its own TLS library (OpenSSL does this when the certificate's key " +
                "or signature is too weak for its security level).",
                endpoint);
        }
        // Record header (5 bytes), handshake header (4 bytes: type 2 = ServerHello), then legacy_version.
        if (bytes[0] == HandshakeRecord && bytes.Length >= 11 && bytes[5] == 0x02 && (bytes[9] << 8 | bytes[10]) < 0x0303)
        {
            var version = TlsNames.WireVersion(bytes[9] << 8 | bytes[10]);
            return TlsFindings.ProtocolTooOld.Create(
                $"{endpoint} only offers {version}; federation peers require TLS 1.2 or 1.3.",
                $"The server's ServerHello chose {version}, which is obsolete (RFC 8996) and refused by current TLS libraries.",
                endpoint);
        }
        if (bytes[0] is < 0x14 or > 0x17)
        {
            var text = Printable(bytes);
            var isHttp = text.StartsWith("HTTP/", StringComparison.Ordinal);
            return TlsFindings.NotTls.Create(
                isHttp ? $"{endpoint} speaks plain HTTP, not HTTPS." : $"{endpoint} does not speak TLS.",
                $"The server answered the TLS ClientHello with: \"{text}\"", endpoint,
                isHttp ? null : "Check that this port belongs to the homeserver or its TLS reverse proxy, not another service.");
        }
        return null;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                break; // the first line ("HTTP/1.1 400 Bad Request", "SSH-2.0-…") says enough
            }
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }
        return text.ToString();
    }

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }
        return null;
    }

    private static string Messages(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message.Trim());
        }
        return string.Join(" → ", messages.Distinct());
    }
}
