using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Lab.Pki;

/// <summary>
/// A lab server certificate: the leaf (with its private key) and the chain a server should SEND, leaf first.
/// <see cref="ChainToSend"/> is leaf + intermediate normally, or the leaf alone for the "forgot fullchain.pem" case.
/// </summary>
public sealed record LabCertificate(X509Certificate2 Leaf, IReadOnlyList<X509Certificate2> ChainToSend)
{
    /// <summary>The certificates sent after the leaf.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates => [.. ChainToSend.Skip(1)];

    /// <summary>
    /// A context that makes <see cref="SslStream"/> or Kestrel send exactly <see cref="ChainToSend"/>.
    /// offline: true, because the lab root is not in the system store and must not be fetched from anywhere.
    /// </summary>
    public SslStreamCertificateContext CreateContext() =>
        SslStreamCertificateContext.Create(Leaf, [.. Intermediates], offline: true);
}
