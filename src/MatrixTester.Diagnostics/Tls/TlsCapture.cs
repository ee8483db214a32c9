using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>The peer's certificates as it sent them (leaf first) and what .NET's own validation thought of them.</summary>
public sealed record CapturedPeer(IReadOnlyList<X509Certificate2> ChainAsSent, SslPolicyErrors PolicyErrors);

/// <summary>
/// A certificate validation callback that records instead of rejecting, so a bad certificate becomes a finding
/// (with the chain in the report) rather than a bare handshake failure. Use one instance per connection; the verdict
/// comes later from <see cref="CertificateInspector"/>.
/// </summary>
public sealed class TlsCapture
{
    private volatile CapturedPeer? peer;

    /// <summary>What the last handshake presented; null until a handshake reached certificate validation.</summary>
    public CapturedPeer? Peer => peer;

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/> that records the peer and accepts it.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        peer = new CapturedPeer(ChainAsSent(certificate, chain), errors);
        return true;
    }

    /// <summary>
    /// Client options for one connection: SNI = the expected name, except none for IP literals (spec, server-server
    /// API §TLS: "SNI is not supported and should not be sent"); TLS 1.2/1.3 only; chain policy without AIA downloads.
    /// </summary>
    public SslClientAuthenticationOptions CreateClientOptions(string expectedName, TrustAnchors anchors, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(expectedName);
        ArgumentNullException.ThrowIfNull(anchors);
        return new SslClientAuthenticationOptions
        {
            TargetHost = HostnameMatcher.TryParseIp(expectedName, out _) ? "" : expectedName.TrimEnd('.'),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // Our policy, so .NET's own pass in the handshake does not try to download a missing intermediate.
            CertificateChainPolicy = anchors.CreatePolicy(now),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
#pragma warning disable CA5359 // Accepting every certificate is the point: CertificateInspector judges it afterwards,
                               // and a diagnosis sends only public, unauthenticated GETs over this connection.
            RemoteCertificateValidationCallback = Validate,
#pragma warning restore CA5359
        };
    }

    /// <summary>
    /// The server's chain in the order sent: the leaf, then the extra certificates SslStream puts into the validation
    /// chain's <c>ExtraStore</c> (on Linux: OpenSSL's peer chain minus the leaf; verified by the tests with a
    /// leaf-only server). Copies, because SslStream disposes the chain after the callback.
    /// </summary>
    private static List<X509Certificate2> ChainAsSent(X509Certificate? certificate, X509Chain? chain)
    {
        var sent = new List<X509Certificate2>();
        if (certificate is null)
        {
            return sent;
        }
        sent.Add(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        foreach (var extra in chain?.ChainPolicy.ExtraStore ?? [])
        {
            if (!sent.Any(s => s.RawData.AsSpan().SequenceEqual(extra.RawData)))
            {
                sent.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
            }
        }
        return sent;
    }
}
