using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Web.ReportViews;

/// <summary>One certificate of a chain as sent, leaf first.</summary>
public sealed record CertificateRow(string Role, string Subject, string Issuer, string Names, string Valid, bool InValidity, string Fingerprint, string Key);

/// <summary>The TLS session with one address and the certificate chain it presented.</summary>
public sealed record CertificateTable(
    string Version, string CipherSuite, string Sni, string ConnectTime, string HandshakeTime,
    string ExpectedName, bool NameMatches, bool Trusted, string? Anchor, IReadOnlyList<CertificateRow> Chain)
{
    public static CertificateTable From(TlsReport tls, DateTimeOffset testedAt)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var result = tls.Certificates;
        var chain = result.Certificates.Select((c, i) => new CertificateRow(
            Role(c, i), Name(c.SubjectCommonName, c.Subject), Name(c.IssuerCommonName, c.Issuer),
            c.DnsNames.Count + c.IpAddresses.Count == 0 ? DetailWords.None : string.Join(", ", c.DnsNames.Concat(c.IpAddresses)),
            SiteText.Format("detail.cert.validity", DetailWords.Day(c.NotBefore), DetailWords.Day(c.NotAfter)), c.NotBefore <= testedAt && testedAt <= c.NotAfter,
            Colons(c.Sha256Hex), c.KeyDescription)).ToList();
        return new CertificateTable(tls.Version, tls.CipherSuite, tls.Sni ?? SiteText.Get("detail.cert.no_sni"),
            DetailWords.Duration(tls.ConnectTime), DetailWords.Duration(tls.HandshakeTime),
            result.ExpectedName, result.NameMatches, result.Trusted, result.TrustAnchor, chain);
    }

    private static string Role(CertificateSummary certificate, int index) => index switch
    {
        0 => SiteText.Get("detail.cert.leaf"),
        _ when certificate.SelfIssued => SiteText.Get("detail.cert.root"),
        _ => SiteText.Get("detail.cert.intermediate"),
    };

    private static string Name(string commonName, string distinguishedName) => commonName.Length > 0 ? commonName : distinguishedName;

    /// <summary>SHA-256 as most tools print it: upper-case hex in pairs.</summary>
    private static string Colons(string hex) => string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
}
