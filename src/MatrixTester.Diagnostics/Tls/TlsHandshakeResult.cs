using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// One TLS handshake with one endpoint. On success: the negotiated <see cref="Version"/> and
/// <see cref="CipherSuite"/> (Go report names), the chain as sent and its verdict in <see cref="Certificate"/>.
/// On failure: <see cref="Succeeded"/> is false and <see cref="Findings"/> holds the reason.
/// <see cref="Findings"/> always holds everything worth reporting (failure, protocol and certificate findings).
/// </summary>
public sealed record TlsHandshakeResult(
    string Endpoint,
    string ExpectedName,
    string? SniSent,
    bool Succeeded,
    SslProtocols Protocol,
    TlsCipherSuite? NegotiatedCipherSuite,
    IReadOnlyList<X509Certificate2> ChainAsSent,
    TlsCertificateResult? Certificate,
    IReadOnlyList<Finding> Findings,
    TimeSpan Elapsed)
{
    public string? Version => Succeeded ? TlsNames.Version(Protocol) : null;

    public string? CipherSuite => NegotiatedCipherSuite is { } suite ? TlsNames.CipherSuite(suite) : null;

    public bool Has(FindingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Findings.Any(f => f.Id == definition.Id);
    }
}
