using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Lab.Peer;

/// <summary>The peer's lab certificate as the PEM files node's https server reads.</summary>
internal static class PeerCertificate
{
    public static (string CertPath, string KeyPath) Write(FederationLab lab, string serverName, string directory)
    {
        var certificate = lab.Pki.Issue(serverName);
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        // Leaf first, then the intermediate: the chain a server must send.
        File.WriteAllText(certPath, string.Concat(certificate.ChainToSend.Select(c => c.ExportCertificatePem() + "\n")));
        using var ecdsa = certificate.Leaf.GetECDsaPrivateKey();
        using var rsa = ecdsa is null ? certificate.Leaf.GetRSAPrivateKey() : null;
        AsymmetricAlgorithm privateKey = (AsymmetricAlgorithm?)ecdsa ?? rsa ?? throw new InvalidOperationException("The lab leaf has no private key.");
        File.WriteAllText(keyPath, privateKey.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
