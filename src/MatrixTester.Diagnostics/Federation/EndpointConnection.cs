using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>What the TLS handshake with one address showed: protocol, cipher, and the chain exactly as the server sent it.</summary>
public sealed record TlsSession(
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    IReadOnlyList<X509Certificate2> ChainAsSent,
    SslPolicyErrors PolicyErrors,
    TimeSpan ConnectTime,
    TimeSpan HandshakeTime);

/// <summary>
/// HTTPS to one pinned address. The TCP connection goes to <paramref name="endpoint"/> whatever the URL says (no
/// second DNS lookup a rebinding server could change), after the address policy allowed it; TLS uses
/// <paramref name="tlsName"/> for SNI (none for IP literals) and the Host header is set per request. One TCP+TLS
/// connection serves every request made through this object.
/// </summary>
/// <param name="validate">
/// Decides whether a handshake may complete given the chain as sent; null accepts every certificate and leaves the
/// judgement to the caller (federation probes record and classify certificates rather than reject them).
/// </param>
public sealed class EndpointConnection(
    IPEndPoint endpoint,
    string tlsName,
    AddressPolicy policy,
    DiagnosisOptions options,
    TimeProvider time,
    Func<IReadOnlyList<X509Certificate2>, string?>? validate = null) : IDisposable
{
    private readonly long _origin = time.GetTimestamp();
    private HttpMessageInvoker? _invoker;
    private ConnectAttempt? _lastAttempt;

    public IPEndPoint EndPoint => endpoint;

    public string TlsName => tlsName;

    /// <summary>SNI sent: the TLS name unless it is an IP address (RFC 6066 forbids IP literals in SNI).</summary>
    public string? Sni => IPAddress.TryParse(tlsName.Trim('[', ']'), out _) ? null : tlsName;

    /// <summary>The TLS session of the (last) connection, once one was established.</summary>
    public TlsSession? Session { get; private set; }

    /// <summary>The certificate chain offered in the last handshake, even when the handshake was then rejected.</summary>
    public IReadOnlyList<X509Certificate2>? OfferedChain => _lastAttempt?.Chain;

    public async Task<HttpExchange> GetAsync(string pathAndQuery, string hostHeader, int maxBodyBytes, TimeSpan startedAt, CancellationToken cancellationToken)
    {
        var url = $"https://{hostHeader}{pathAndQuery}";
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
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Format(endpoint)}{pathAndQuery}");
        request.Headers.Host = hostHeader;
        request.Headers.UserAgent.ParseAdd(options.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await _invoker.SendAsync(request, timeout.Token);
            var (body, tooLarge) = await ReadCappedAsync(response, maxBodyBytes, timeout.Token);
            return exchange with
            {
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
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (failure, message) = Classify(ex, timeout.IsCancellationRequested);
            return exchange with
            {
                Failure = failure,
                Error = message,
                Duration = time.GetElapsedTime(start),
                NewConnection = _attempts != attemptsBefore,
            };
        }
    }

    private int _attempts;

    private SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        MaxConnectionsPerServer = 1,
        MaxResponseHeadersLength = 64, // KiB
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        _attempts++;
        var attempt = _lastAttempt = new ConnectAttempt();
        // Re-check right before dialling: this is the address that will receive packets.
        if (!policy.Check(endpoint.Address).Allowed)
        {
            throw new ConnectFailureException(ExchangeFailure.AddressRefused, $"{Format(endpoint)} is not a public address.");
        }
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(endpoint, connectTimeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ConnectFailureException(ExchangeFailure.ConnectTimeout, $"No answer to the TCP connection to {Format(endpoint)} within {options.ConnectTimeout.TotalSeconds:0.#} s (a firewall dropping packets, or nothing listening).");
                }
            }
            var connectTime = stopwatch.Elapsed;
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            try
            {
                using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                handshakeTimeout.CancelAfter(options.ConnectTimeout);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = Sni ?? "",
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = attempt.Capture(validate),
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                }, handshakeTimeout.Token).WaitAsync(handshakeTimeout.Token);
                Session = new TlsSession(ssl.SslProtocol, ssl.NegotiatedCipherSuite, attempt.Chain ?? [], attempt.Errors, connectTime, stopwatch.Elapsed - connectTime);
                return ssl;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await ssl.DisposeAsync();
                throw new ConnectFailureException(ExchangeFailure.TlsHandshakeFailed, $"The TLS handshake with {Format(endpoint)} did not finish within {options.ConnectTimeout.TotalSeconds:0.#} s.");
            }
            catch (AuthenticationException ex) when (attempt.Rejection is not null)
            {
                await ssl.DisposeAsync();
                throw new ConnectFailureException(ExchangeFailure.CertificateRejected, attempt.Rejection, ex);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                await ssl.DisposeAsync();
                throw new ConnectFailureException(ExchangeFailure.TlsHandshakeFailed, $"The TLS handshake with {Format(endpoint)} failed: {Innermost(ex)}", ex);
            }
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var failure = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ExchangeFailure.ConnectRefused,
                SocketError.TimedOut => ExchangeFailure.ConnectTimeout,
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => ExchangeFailure.Unreachable,
                _ => ExchangeFailure.ConnectFailed,
            };
            var text = failure switch
            {
                ExchangeFailure.ConnectRefused => $"{Format(endpoint)} refused the TCP connection: nothing is listening on port {endpoint.Port}, or a firewall rejects it.",
                ExchangeFailure.Unreachable => $"{Format(endpoint)} is unreachable from the tester ({ex.SocketErrorCode}).",
                _ => $"Connecting to {Format(endpoint)} failed: {ex.Message}",
            };
            throw new ConnectFailureException(failure, text, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private (ExchangeFailure, string) Classify(Exception ex, bool timedOut)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is ConnectFailureException cf)
            {
                return (cf.Failure, cf.Message);
            }
        }
        if (ex is OperationCanceledException || timedOut)
        {
            return (ExchangeFailure.Timeout, $"{Format(endpoint)} did not send a complete response within {(options.RequestTimeout).TotalSeconds:0.#} s.");
        }
        if (ex is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } || Innermost(ex).Contains("reset", StringComparison.OrdinalIgnoreCase))
        {
            return (ExchangeFailure.ConnectionReset, $"{Format(endpoint)} closed the connection before the response was complete: {Innermost(ex)}");
        }
        return (ExchangeFailure.ProtocolError, $"The response from {Format(endpoint)} was not valid HTTP: {Innermost(ex)}");
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

    private static Dictionary<string, string> CollectHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
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

    public void Dispose() => _invoker?.Dispose();

    /// <summary>Captures the certificates of one handshake, before any verdict, so a rejected chain can still be shown.</summary>
    private sealed class ConnectAttempt
    {
        public IReadOnlyList<X509Certificate2>? Chain { get; private set; }

        public SslPolicyErrors Errors { get; private set; }

        public string? Rejection { get; private set; }

        public RemoteCertificateValidationCallback Capture(Func<IReadOnlyList<X509Certificate2>, string?>? validate) =>
            (_, certificate, chain, errors) =>
            {
                var sent = new List<X509Certificate2>();
                if (certificate is not null)
                {
                    sent.Add(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                }
                // On .NET the peer's additional certificates arrive in ExtraStore, in the order sent.
                if (chain is not null)
                {
                    foreach (var extra in chain.ChainPolicy.ExtraStore)
                    {
                        if (certificate is null || !extra.RawDataMemory.Span.SequenceEqual(certificate.GetRawCertData()))
                        {
                            sent.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
                        }
                    }
                }
                Chain = sent;
                Errors = errors;
                if (validate is null)
                {
                    // Federation probes judge certificates themselves, from the captured chain; rejecting here would
                    // hide what the server sent.
#pragma warning disable CA5359
                    return true;
#pragma warning restore CA5359
                }
                Rejection = validate(sent);
                return Rejection is null;
            };
    }

    private sealed class ConnectFailureException(ExchangeFailure failure, string message, Exception? inner = null) : IOException(message, inner)
    {
        public ExchangeFailure Failure { get; } = failure;
    }
}
