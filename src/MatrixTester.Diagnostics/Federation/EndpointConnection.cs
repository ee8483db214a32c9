using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Reports;
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
/// HTTPS to one pinned address. The TCP connection goes to <paramref name="endpoint"/> whatever the URL says (no
/// second DNS lookup a rebinding server could change), after the address policy allowed it; TLS uses
/// <paramref name="tlsName"/> for SNI (none for IP literals) and the Host header is set per request. One TCP+TLS
/// connection serves every request made through this object.
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
    private HttpMessageInvoker? _invoker;
    private int _attempts;

    public IPEndPoint EndPoint => endpoint;

    public string Key => Format(endpoint);

    /// <summary>SNI sent: the TLS name unless it is an IP address (RFC 6066 forbids IP literals in SNI).</summary>
    public string? Sni => plainHttp || HostnameMatcher.TryParseIp(tlsName, out _) ? null : tlsName;

    /// <summary>The TLS session of the (last) connection, once one was established.</summary>
    public TlsSession? Session { get; private set; }

    /// <summary>The certificate chain offered in the last handshake, even when it was then rejected.</summary>
    public IReadOnlyList<X509Certificate2>? OfferedChain { get; private set; }

    public Task<HttpExchange> GetAsync(string pathAndQuery, string hostHeader, int maxBodyBytes, TimeSpan startedAt, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, hostHeader, null, null, maxBodyBytes, startedAt, cancellationToken);

    /// <summary>
    /// One request of any method, with optional extra headers (e.g. the two-way check's <c>Authorization: X-Matrix</c>)
    /// and an optional JSON body, under the same pinning, policy and limits as every other request.
    /// </summary>
    public async Task<HttpExchange> SendAsync(HttpMethod method, string pathAndQuery, string hostHeader, IReadOnlyDictionary<string, string>? headers,
        byte[]? jsonBody, int maxBodyBytes, TimeSpan startedAt, CancellationToken cancellationToken)
    {
        var url = $"{(plainHttp ? "http" : "https")}://{hostHeader}{pathAndQuery}";
        var decision = policy.Check(endpoint.Address);
        var exchange = new HttpExchange { Url = url, Address = endpoint.Address, Port = endpoint.Port, HostHeader = hostHeader, Sni = Sni, StartedAt = startedAt };
        if (!decision.Allowed)
        {
            return exchange with { Failure = ExchangeFailure.AddressRefused, Error = $"{Format(endpoint)} is in a non-public range: {decision.Range}. The tester does not connect to it." };
        }

        _invoker ??= new HttpMessageInvoker(CreateHandler(), disposeHandler: true);
        var attemptsBefore = _attempts;
        var start = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout + options.ConnectTimeout);
        // The URL is plain http because TLS is already done inside ConnectCallback; the user sees the https URL.
        using var request = new HttpRequestMessage(method, $"http://{Format(endpoint)}{pathAndQuery}");
        request.Headers.Host = hostHeader;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        }
        request.Options.Set(RequestAborted, timeout.Token);
        request.Headers.UserAgent.ParseAdd(options.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await _invoker.SendAsync(request, timeout.Token);
            var (body, tooLarge) = await ReadCappedAsync(response, maxBodyBytes, timeout.Token);
            var received = exchange with { Body = body };
            return exchange with
            {
                BodyLength = body.Length,
                BodyStart = body.Length == 0 ? null : received.BodyPreview(500),
                Status = (int)response.StatusCode,
                ReasonPhrase = response.ReasonPhrase,
                Headers = CollectHeaders(response),
                Body = body,
                Failure = tooLarge ? ExchangeFailure.BodyTooLarge : ExchangeFailure.None,
                Error = tooLarge ? $"The response body is larger than the {maxBodyBytes / 1024} KiB limit." : null,
                Duration = time.GetElapsedTime(start),
                NewConnection = _attempts != attemptsBefore,
                ConnectTime = _attempts != attemptsBefore ? Session?.ConnectTime : null,
                TlsTime = _attempts != attemptsBefore ? Session?.HandshakeTime : null,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The handler reports a connect ended by the caller's cancellation as a failed request: it is still the
            // caller's cancellation (a deadline, a client gone), not a finding about the server.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (failure, message, finding) = Classify(ex, timeout.IsCancellationRequested);
            return exchange with
            {
                Failure = failure,
                Error = message,
                FailureFinding = finding,
                Duration = time.GetElapsedTime(start),
                NewConnection = _attempts != attemptsBefore,
            };
        }
    }


    private SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        MaxConnectionsPerServer = 1,
        MaxResponseHeadersLength = 64, // KiB
        // ConnectCallback bounds the TCP connect and the TLS handshake itself, each with a precise finding.
        ConnectTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = ConnectAsync,
    };

    /// <summary>The token of the request that opens a connection; its end (caller gone, deadline, timeout) ends the connect.</summary>
    private static readonly HttpRequestOptionsKey<CancellationToken> RequestAborted = new("MatrixTester.RequestAborted");

    /// <summary>
    /// SocketsHttpHandler lets a connect outlive the request that started it (to pool the connection for the next
    /// one), so a cancelled request would leave its handshake running until the connect timeout. This connection
    /// exists for that request only: the connect stops, and closes its socket, when the request does.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        context.InitialRequestMessage.Options.TryGetValue(RequestAborted, out var requestAborted);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, requestAborted);
        return await OpenAsync(linked.Token);
    }

    /// <summary>
    /// TCP connect to the pinned address, then the TLS handshake; failures become <see cref="ConnectFailureException"/>.
    /// Whatever owns the socket at the moment of an exit other than success (the socket, then the SslStream) is
    /// disposed there, as System.Net's ConnectHelper does: a timeout, a failure, the caller's cancellation or
    /// <see cref="Dispose"/> mid-handshake all close the connection at once instead of leaving it to the finalizer.
    /// </summary>
    private async ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
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
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        connectTimeout.CancelAfter(options.ConnectTimeout);
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
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
            handshakeTimeout.CancelAfter(options.ConnectTimeout);
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
        if (ex is Http11EndedException || ex is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } || Innermost(ex).Contains("reset", StringComparison.OrdinalIgnoreCase))
        {
            return (ExchangeFailure.ConnectionReset, $"{Key} closed the connection before the response was complete: {Innermost(ex)}", null);
        }
        return (ExchangeFailure.ProtocolError, $"The response from {Key} was not valid HTTP: {Innermost(ex)}", null);
    }

    private static async Task<(byte[] Body, bool TooLarge)> ReadCappedAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > max)
        {
            return ([], true);
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(max + 1, 16 * 1024)];
        using var collected = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            collected.Write(buffer, 0, read);
            if (collected.Length > max)
            {
                return (collected.ToArray()[..max], true);
            }
        }
        return (collected.ToArray(), false);
    }

    private static Dictionary<string, string> CollectHeaders(HttpResponseMessage response) => CollectHeaders(response.Headers.Concat(response.Content.Headers));

    private static Dictionary<string, string> CollectHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> fields)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in fields)
        {
            var key = name.ToLowerInvariant();
            var value = string.Join(", ", values);
            headers[key] = value.Length > 512 ? value[..512] + "…" : value;
            if (headers.Count >= 64)
            {
                break;
            }
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
        _invoker?.Dispose();
        _pipelined?.Dispose();
        _preconnect?.Abandon();
    }

    private sealed class ConnectFailureException(ExchangeFailure failure, string message, Exception? inner = null, Finding? finding = null) : IOException(message, inner)
    {
        public ExchangeFailure Failure { get; } = failure;

        public Finding? Finding { get; } = finding;
    }
}
