using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// What a report shows about one certificate. <see cref="Sha256Fingerprint"/> is unpadded standard base64 of
/// SHA-256 over the DER (the Go tester's <c>SHA256Fingerprint</c>); <see cref="Sha256Hex"/> is the same digest in
/// the colon-free upper-case hex most tools print.
/// </summary>
public sealed record CertificateSummary(
    string Subject,
    string SubjectCommonName,
    string Issuer,
    string IssuerCommonName,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> IpAddresses,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Fingerprint,
    string Sha256Hex,
    string KeyAlgorithm,
    int KeySize,
    string SignatureAlgorithm,
    string SerialNumber,
    bool SelfIssued)
{
    /// <summary>Certificates of a chain kept in a report (a real chain is two to four).</summary>
    public const int MaxReportedChain = 16;

    /// <summary>Subject alternative names of each kind kept in a report (multi-domain certificates list up to about 100).</summary>
    public const int MaxReportedNames = 128;

    /// <summary>"RSA 2048", "ECDSA P-256".</summary>
    public string KeyDescription => KeyAlgorithm == "ECDSA" ? $"ECDSA P-{KeySize}" : $"{KeyAlgorithm} {KeySize}";

    public static CertificateSummary From(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var digest = SHA256.HashData(certificate.RawData);
        var (dns, ips) = SubjectAltNames(certificate);
        var (keyAlgorithm, keySize) = KeyOf(certificate);
        // Names are whatever the certificate's owner wrote: each is capped like any server-controlled string.
        return new CertificateSummary(
            ReportText.Cap(certificate.Subject, ReportText.Line),
            ReportText.Cap(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false), ReportText.Name),
            ReportText.Cap(certificate.Issuer, ReportText.Line),
            ReportText.Cap(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: true), ReportText.Name),
            [.. dns.Take(MaxReportedNames).Select(n => ReportText.Cap(n, ReportText.Name))],
            [.. ips.Take(MaxReportedNames)],
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            Convert.ToBase64String(digest).TrimEnd('='),
            Convert.ToHexString(digest),
            keyAlgorithm,
            keySize,
            certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "unknown",
            ReportText.Cap(certificate.SerialNumber, ReportText.Name),
            certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData));
    }

    /// <summary>DNS and IP subject alternative names, in certificate order (IPs in their canonical text form).</summary>
    public static (IReadOnlyList<string> DnsNames, IReadOnlyList<string> IpAddresses) SubjectAltNames(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (extension is null)
        {
            return ([], []);
        }
        try
        {
            return ([.. extension.EnumerateDnsNames()], [.. extension.EnumerateIPAddresses().Select(ip => ip.ToString())]);
        }
        catch (CryptographicException)
        {
            // A malformed SAN extension is the server's problem to fix, not a reason to crash the report.
            return ([], []);
        }
    }

    internal static IReadOnlyList<IPAddress> IpSans(X509Certificate2 certificate) =>
        [.. SubjectAltNames(certificate).IpAddresses.Select(IPAddress.Parse)];

    private static (string Algorithm, int Size) KeyOf(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return ("RSA", rsa.KeySize);
        }
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            return ("ECDSA", ecdsa.KeySize);
        }
        var oid = certificate.PublicKey.Oid;
        return (oid.FriendlyName ?? oid.Value ?? "unknown", 0);
    }
}
