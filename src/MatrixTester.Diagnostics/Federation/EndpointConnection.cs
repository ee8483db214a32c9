using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>What the TLS handshake with one address showed: protocol, cipher, and the chain exactly as the server sent it.</summary>
public sealed record TlsSession(
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    IReadOnlyList<X509Certificate2> ChainAsSent,
    string? Sni,
    TimeSpan ConnectTime,
    TimeSpan HandshakeTime)
{
    public string Version => TlsNames.Version(Protocol);

    public string CipherSuiteName => TlsNames.CipherSuite(CipherSuite);

    /// <summary>When the TCP connect started (the connection may have been opened before anything was sent on it).</summary>
    public DateTimeOffset ConnectStartedUtc { get; init; }
}

/// <summary>
/// HTTP/1.1 to one pinned address: the engine's one connector and request path, for well-known files, the client
/// API and federation alike. The TCP connection goes to <paramref name="endpoint"/> whatever the URL says (no
/// second DNS lookup a rebinding server could change), after the address policy allowed it; TLS uses
/// <paramref name="tlsName"/> for SNI (none for IP literals) and the Host header is set per request. One TCP+TLS
/// connection serves every request made through this object, kept alive between requests and pipelined when
/// several are waiting (see EndpointConnection.Pipelined.cs); all of it bounded by one <see cref="HttpLimits"/>.
/// </summary>
/// <param name="validate">
/// Decides whether a completed handshake may be used, given the chain as sent (null = usable, else the reason);
/// null accepts every certificate and leaves the judgement to the caller (federation probes record and classify
/// certificates rather than reject them).
/// </param>
/// <param name="plainHttp">No TLS: only for following a well-known redirect to http://, as homeservers do.</param>
public sealed partial class EndpointConnection(
    IPEndPoint endpoint,
    string tlsName,
    AddressPolicy policy,
    DiagnosisOptions options,
    TrustAnchors anchors,
    TimeProvider time,
    Func<IReadOnlyList<X509Certificate2>, string?>? validate = null,
    bool plainHttp = false) : IDisposable
{
    // Cancelled by Dispose; never disposed itself, so a late OpenAsync can still link to it.
    private readonly CancellationTokenSource _closing = new();
    private readonly HttpLimits _limits = HttpLimits.From(options);

    public IPEndPoint EndPoint => endpoint;

    public string Key => Format(endpoint);

    /// <summary>The bounds every request on this connection obeys.</summary>
    public HttpLimits Limits => _limits;

    private string Scheme => plainHttp ? "http" : "https";

    /// <summary>SNI sent: the TLS name unless it is an IP address (RFC 6066 forbids IP literals in SNI).</summary>
    public string? Sni => plainHttp || HostnameMatcher.TryParseIp(tlsName, out _) ? null : tlsName;

    /// <summary>The TLS session of the (last) connection, once one was established.</summary>
    public TlsSession? Session { get; private set; }

    /// <summary>The certificate chain offered in the last handshake, even when it was then rejected.</summary>
    public IReadOnlyList<X509Certificate2>? OfferedChain { get; private set; }

    /// <summary>
    /// TCP connect to the pinned address, then the TLS handshake; failures become <see cref="ConnectFailureException"/>.
    /// Whatever owns the socket at the moment of an exit other than success (the socket, then the SslStream) is
    /// disposed there, as System.Net's ConnectHelper does: a timeout, a failure, the caller's cancellation or
    /// <see cref="Dispose"/> mid-handshake all close the connection at once instead of leaving it to the finalizer.
    /// </summary>
    private async ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        // Re-check right before dialling: this is the address that will receive packets.
        if (policy.Check(endpoint.Address) is { Allowed: false } refused)
        {
            throw new ConnectFailureException(ExchangeFailure.AddressRefused, $"{Key} is in a non-public range: {refused.Range}.");
        }
        // Dispose() aborts connects still in flight: a speculative one nobody took, or one the handler still runs.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        IDisposable owner = socket;
        try
        {
            var started = time.GetTimestamp();
            var startedUtc = time.GetUtcNow();
            await ConnectSocketAsync(socket, abort.Token);
            var connectTime = time.GetElapsedTime(started);
            var network = new NetworkStream(socket, ownsSocket: true);
            owner = network;
            if (plainHttp)
            {
                return network;
            }
            var recorder = new RecordingStream(network);
            var ssl = new SslStream(recorder, leaveInnerStreamOpen: false);
            owner = ssl;
            var capture = new TlsCapture();
            await HandshakeAsync(ssl, recorder, capture, abort.Token);

            var chain = capture.Peer?.ChainAsSent ?? [];
            OfferedChain = chain;
            if (validate?.Invoke(chain) is { } rejection)
            {
                throw new ConnectFailureException(ExchangeFailure.CertificateRejected, rejection);
            }
            Session = new TlsSession(ssl.SslProtocol, ssl.NegotiatedCipherSuite, chain, Sni, connectTime, time.GetElapsedTime(started) - connectTime) { ConnectStartedUtc = startedUtc };
            return ssl;
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <param name="abort">The caller's cancellation or <see cref="Dispose"/>: propagates; only our own timeout becomes a finding.</param>
    private async Task ConnectSocketAsync(Socket socket, CancellationToken abort)
    {
        using var timer = new CancellationTokenSource(options.ConnectTimeout, time);
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(abort, timer.Token);
        try
        {
            await socket.ConnectAsync(endpoint, connectTimeout.Token);
        }
        catch (OperationCanceledException) when (!abort.IsCancellationRequested)
        {
            var finding = TlsFailureClassifier.TimedOut(Key, "the TCP connection attempt", options.ConnectTimeout);
            throw new ConnectFailureException(ExchangeFailure.ConnectTimeout, finding.Summary, finding: finding);
        }
        catch (SocketException ex)
        {
            var finding = TlsFailureClassifier.Classify(ex, Key);
            var failure = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ExchangeFailure.ConnectRefused,
                SocketError.TimedOut => ExchangeFailure.ConnectTimeout,
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => ExchangeFailure.Unreachable,
                _ => ExchangeFailure.ConnectFailed,
            };
            throw new ConnectFailureException(failure, finding.Summary, ex, finding);
        }
    }

    private async Task HandshakeAsync(SslStream ssl, RecordingStream recorder, TlsCapture capture, CancellationToken abort)
    {
        var sslOptions = capture.CreateClientOptions(tlsName, anchors, time.GetUtcNow());
        sslOptions.ApplicationProtocols = [SslApplicationProtocol.Http11];
        try
        {
            using var timer = new CancellationTokenSource(options.ConnectTimeout, time);
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(abort, timer.Token);
            // WaitAsync: the caller's exit must not depend on SslStream honouring the token in every phase; the
            // caller then disposes the stream, which ends the abandoned handshake.
            await ssl.AuthenticateAsClientAsync(sslOptions, handshakeTimeout.Token).WaitAsync(handshakeTimeout.Token);
        }
        catch (OperationCanceledException) when (!abort.IsCancellationRequested)
        {
            var finding = TlsFailureClassifier.TimedOut(Key, "the TLS handshake", options.ConnectTimeout);
            throw new ConnectFailureException(ExchangeFailure.TlsHandshakeFailed, finding.Summary, finding: finding);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException)
        {
            var finding = TlsFailureClassifier.Classify(ex, Key, recorder.FirstBytesReceived);
            throw new ConnectFailureException(ExchangeFailure.TlsHandshakeFailed, $"{finding.Summary} {finding.Detail}", ex, finding);
        }
    }

    private (ExchangeFailure, string, Finding?) Classify(Exception ex, bool timedOut)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is ConnectFailureException cf)
            {
                return (cf.Failure, cf.Message, cf.Finding);
            }
        }
        if (ex is OperationCanceledException || timedOut)
        {
            return (ExchangeFailure.Timeout, $"{Key} did not send a complete response within {options.RequestTimeout.TotalSeconds:0.#} s.", null);
        }
        if (ex is Http11ProtocolException)
        {
            return (ExchangeFailure.ProtocolError, $"The response from {Key} was not valid HTTP: {ex.Message}", null);
        }
        if (ex is Http11EndedException || Innermost(ex).Contains("reset", StringComparison.OrdinalIgnoreCase))
        {
            return (ExchangeFailure.ConnectionReset, $"{Key} closed the connection before the response was complete: {Innermost(ex)}", null);
        }
        return (ExchangeFailure.ProtocolError, $"The response from {Key} was not valid HTTP: {Innermost(ex)}", null);
    }

    /// <summary>
    /// The header fields a report keeps: names lower-cased, repeated fields combined with ", " in the order received
    /// (RFC 9110 section 5.3). The fields the engine reasons about come first, each up to <see cref="ReportText.Url"/>
    /// bytes; then the others in the order received, each up to <see cref="HttpLimits.ReportedHeaderValueBytes"/>,
    /// while they fit in <see cref="HttpLimits.ReportedHeaderBytes"/>, at most <see cref="HttpLimits.ReportedHeaders"/> names in all.
    /// </summary>
    private Dictionary<string, string> CollectHeaders(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = fields.GroupBy(f => f.Key.ToLowerInvariant()).ToList();
        foreach (var group in groups.Where(g => HttpLimits.ReasonedHeaders.Contains(g.Key)))
        {
            headers[group.Key] = ReportText.Cap(string.Join(", ", group.Select(f => f.Value)), ReportText.Url);
        }
        var budget = _limits.ReportedHeaderBytes;
        foreach (var group in groups.Where(g => !HttpLimits.ReasonedHeaders.Contains(g.Key)))
        {
            var value = ReportText.Cap(string.Join(", ", group.Select(f => f.Value)), _limits.ReportedHeaderValueBytes);
            var name = ReportText.Cap(group.Key, ReportText.Name);
            budget -= System.Text.Encoding.UTF8.GetByteCount(value) + name.Length;
            if (budget < 0 || headers.Count >= _limits.ReportedHeaders)
            {
                break;
            }
            headers[name] = value;
        }
        return headers;
    }

    internal static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }
        return ex.Message;
    }

    public void Dispose()
    {
        // First abort every connect still in flight, so no socket waits for its handshake timeout.
        _closing.Cancel();
        _current?.Stream.Dispose();
        _preconnect?.Abandon();
    }

    private sealed class ConnectFailureException(ExchangeFailure failure, string message, Exception? inner = null, Finding? finding = null) : IOException(message, inner)
    {
        public ExchangeFailure Failure { get; } = failure;

        public Finding? Finding { get; } = finding;
    }
}
