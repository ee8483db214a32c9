using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// Runs a TLS handshake over an already connected stream and reports what the server presented. Failures are data
/// (a finding naming the endpoint), bounded by <see cref="DiagnosisOptions.ConnectTimeout"/>; only the caller's own
/// cancellation propagates.
/// </summary>
public sealed class TlsProbe(TrustAnchors anchors, DiagnosisOptions options, TimeProvider time)
{
    private readonly CertificateInspector inspector = new(anchors, options);

    /// <param name="connected">A connected stream; the caller owns it (it is left open).</param>
    /// <param name="expectedName">The name the certificate must cover: a DNS name (also sent as SNI) or an IP
    /// literal (no SNI, IP SAN required). Never the SRV target.</param>
    /// <param name="endpoint">"ip:port", used in findings.</param>
    public async Task<TlsHandshakeResult> HandshakeAsync(
        Stream connected, string expectedName, string endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connected);
        ArgumentNullException.ThrowIfNull(expectedName);
        var started = time.GetTimestamp();
        var capture = new TlsCapture();
        var sslOptions = capture.CreateClientOptions(expectedName, anchors, time.GetUtcNow());
        var sni = sslOptions.TargetHost is { Length: > 0 } host ? host : null;
        var recorder = new RecordingStream(connected);

        using var deadline = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        await using var ssl = new SslStream(recorder, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsClientAsync(sslOptions, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var timedOut = TlsFailureClassifier.TimedOut(endpoint, "the TLS handshake", options.ConnectTimeout);
            return Failed(timedOut);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            return Failed(TlsFailureClassifier.Classify(e, endpoint, recorder.FirstBytesReceived));
        }

        var chain = capture.Peer?.ChainAsSent ?? [];
        var certificate = inspector.Inspect(chain, expectedName, time.GetUtcNow(), endpoint);
        // The client offers TLS 1.2 and 1.3 only (TlsCapture), so an obsolete version is never negotiated: a server
        // that speaks nothing newer fails the handshake and is reported as tls.protocol.too_old.
        var findings = new List<Finding>();
        findings.AddRange(certificate.Findings);
        return new TlsHandshakeResult(endpoint, expectedName, sni, true, ssl.SslProtocol, ssl.NegotiatedCipherSuite,
            chain, certificate, findings, time.GetElapsedTime(started));

        TlsHandshakeResult Failed(Finding finding) =>
            new(endpoint, expectedName, sni, false, SslProtocols.None, null, capture.Peer?.ChainAsSent ?? [], null,
                [finding], time.GetElapsedTime(started));
    }
}
