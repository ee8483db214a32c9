using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Lab.Pki;

/// <summary>
/// Signs certificates with SHA-1 (ecdsa-with-SHA1, RFC 3279 §2.2.3) for the weak-signature case, writing the
/// AlgorithmIdentifier itself so the lab does not depend on which hashes the built-in generators accept.
/// Note: a .NET/OpenSSL server at security level 2 (Debian's default) cannot even serve such a certificate (nor an
/// RSA-1024 one): it answers with a protocol_version alert. Weak certificates are therefore tested through
/// CertificateInspector, not over a live handshake.
/// </summary>
internal sealed class Sha1SignatureGenerator(ECDsa key) : X509SignatureGenerator
{
    private const string EcdsaWithSha1 = "1.2.840.10045.4.1";

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(EcdsaWithSha1);
        }
        return writer.Encode();
    }

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
#pragma warning disable CA5350 // Deliberately weak: the lab models a server with a SHA-1 signed certificate.
        key.SignData(data, HashAlgorithmName.SHA1, DSASignatureFormat.Rfc3279DerSequence);
#pragma warning restore CA5350

    protected override PublicKey BuildPublicKey() => CreateForECDsa(key).PublicKey;
}
