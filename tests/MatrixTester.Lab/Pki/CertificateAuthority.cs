using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Lab.Pki;

/// <summary>A root and the intermediate it signed, both ECDSA P-256 (fast to generate and to sign with).</summary>
internal sealed record CertificateAuthority(X509Certificate2 Root, X509Certificate2 Intermediate, ECDsa IntermediateKey)
{
    public static CertificateAuthority Create(string rootName, string intermediateName, DateTimeOffset now)
    {
        // Long validity around "now" so that leaves with odd dates (expired, not yet valid) still fit inside.
        var notBefore = now.AddYears(-2);
        var notAfter = now.AddYears(20);

        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = CaRequest($"CN={rootName}, O=MatrixTester Lab", rootKey, pathLength: 1);
        using var root = rootRequest.CreateSelfSigned(notBefore, notAfter);

        var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = CaRequest($"CN={intermediateName}, O=MatrixTester Lab", intermediateKey, pathLength: 0);
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediate = intermediateRequest.Create(root, notBefore.AddDays(1), notAfter.AddDays(-1), NewSerial());

        // The root's key is only needed to sign the intermediate; keep public copies, and the intermediate's key.
        return new CertificateAuthority(
            X509CertificateLoader.LoadCertificate(root.RawData),
            X509CertificateLoader.LoadCertificate(intermediate.RawData),
            intermediateKey);
    }

    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive INTEGER
        return serial;
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key, int pathLength)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
