using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>The individual certificate checks behind <see cref="CertificateInspector"/>.</summary>
internal static class CertificateChecks
{
    // Signature algorithms peers refuse: Go since 1.18 (SHA-1), OpenSSL at security level 2 (SHA-1, MD5).
    private static readonly Dictionary<string, string> WeakSignatures = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.4"] = "MD5-RSA",
        ["1.2.840.113549.1.1.5"] = "SHA1-RSA",
        ["1.3.14.3.2.29"] = "SHA1-RSA",
        ["1.2.840.10045.4.1"] = "ECDSA-SHA1",
        ["1.2.840.10040.4.3"] = "DSA-SHA1",
    };

    public static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    /// <summary>Every sent certificate must be within its validity period; the leaf is reported first, as Go does.</summary>
    public static bool CheckValidity(IReadOnlyList<X509Certificate2> sent, DateTimeOffset now, InspectionReport report)
    {
        var ok = true;
        foreach (var certificate in sent)
        {
            var name = CertificateInspector.CommonNameOrSubject(certificate);
            var role = ReferenceEquals(certificate, sent[0]) ? "certificate" : $"intermediate certificate '{name}'";
            var notBefore = ToUtc(certificate.NotBefore);
            var notAfter = ToUtc(certificate.NotAfter);
            if (now > notAfter)
            {
                ok = false;
                report.Add(TlsFindings.Expired,
                    Phrase.Of(Key("tls.cert.expired.Summary", certificate == sent[0], report, now - notAfter), ("name", name), ("address", report.Subject), ("n", Count(now - notAfter)), ("date", Go(notAfter))),
                    Phrase.Of("tls.cert.expired.Detail", ("name", name), ("from", Go(notBefore)), ("to", Go(notAfter)), ("now", Go(now))),
                    $"x509: certificate has expired or is not yet valid: current time {Go(now)} is after {Go(notAfter)}");
            }
            else if (now < notBefore)
            {
                ok = false;
                report.Add(TlsFindings.NotYetValid,
                    $"The {role}{report.Where} only becomes valid on {Go(notBefore)}.",
                    $"'{name}' is valid from {Go(notBefore)} to {Go(notAfter)}; it is now {Go(now)}. A wrong server clock at " +
                    "issuance time is the usual cause.",
                    $"x509: certificate has expired or is not yet valid: current time {Go(now)} is before {Go(notBefore)}");
            }
        }
        return ok;
    }

    public static void CheckExpiringSoon(X509Certificate2 leaf, DateTimeOffset now, TimeSpan warning, InspectionReport report)
    {
        var left = ToUtc(leaf.NotAfter) - now;
        if (left < warning)
        {
            report.Add(TlsFindings.ExpiringSoon,
                $"The certificate{report.Where} expires in {Days(left)}.",
                $"'{CertificateInspector.CommonNameOrSubject(leaf)}' is valid until {Go(ToUtc(leaf.NotAfter))}; " +
                $"warning threshold: {warning.TotalDays:0.#} days.", goError: null);
        }
    }

    /// <summary>Signatures made with broken hashes. A root's self-signature is never checked by anyone, so skip it.</summary>
    public static void CheckSignatures(IReadOnlyList<X509Certificate2> sent, InspectionReport report)
    {
        foreach (var certificate in sent.Where(c => !IsSelfSigned(c) || ReferenceEquals(c, sent[0])))
        {
            if (certificate.SignatureAlgorithm.Value is { } oid && WeakSignatures.TryGetValue(oid, out var goName))
            {
                var name = CertificateInspector.CommonNameOrSubject(certificate);
                report.Add(TlsFindings.WeakSignature,
                    $"The certificate '{name}'{report.Where} is signed with {goName}, which peers refuse.",
                    $"Signature algorithm {certificate.SignatureAlgorithm.FriendlyName ?? oid} ({oid}).",
                    $"x509: cannot verify signature: insecure algorithm {goName}");
            }
        }
    }

    public static void CheckKeys(IReadOnlyList<X509Certificate2> sent, InspectionReport report)
    {
        foreach (var certificate in sent)
        {
            using var rsa = certificate.GetRSAPublicKey();
            if (rsa is { KeySize: < 2048 })
            {
                var name = CertificateInspector.CommonNameOrSubject(certificate);
                report.Add(TlsFindings.WeakKey,
                    $"The certificate '{name}'{report.Where} has a {rsa.KeySize}-bit RSA key; peers need at least 2048 bits.",
                    $"RSA {rsa.KeySize}. OpenSSL at security level 2 fails the handshake with \"ee key too small\".",
                    $"tls: RSA key of {rsa.KeySize} bits is too small (at least 2048 required)");
            }
        }
    }

    /// <summary>RFC 6125 name check; the Go texts follow crypto/x509 HostnameError.Error().</summary>
    public static bool CheckName(X509Certificate2 leaf, string expectedName, InspectionReport report)
    {
        if (HostnameMatcher.Matches(leaf, expectedName))
        {
            return true;
        }
        var (dnsNames, ipSans) = CertificateSummary.SubjectAltNames(leaf);
        var isIp = HostnameMatcher.TryParseIp(expectedName, out var ip);
        var host = isIp ? ip.ToString() : expectedName;
        if (isIp && ipSans.Count == 0)
        {
            report.Add(TlsFindings.IpWithoutIpSan,
                $"The server name is the IP address {host}, but the certificate{report.Where} has no IP address in it.",
                $"Names in the certificate: {Names(dnsNames)}. An IP-literal server needs an IP subject alternative name.",
                $"x509: cannot validate certificate for {host} because it doesn't contain any IP SANs");
            return false;
        }
        var presented = isIp ? ipSans : dnsNames;
        report.Add(TlsFindings.NameMismatch,
            $"The certificate{report.Where} is not valid for {host}.",
            $"Expected {host}; the certificate covers {Names([.. dnsNames, .. ipSans])}" +
            $" (subject CN '{leaf.GetNameInfo(X509NameType.SimpleName, false)}', which peers ignore).",
            presented.Count == 0
                ? $"x509: certificate is not valid for any names, but wanted to match {host}"
                : $"x509: certificate is valid for {string.Join(", ", presented)}, not {host}");
        return false;
    }

    private static string Names(IReadOnlyList<string> names) =>
        names.Count == 0 ? "no names" : string.Join(", ", names);

    private static DateTimeOffset ToUtc(DateTime local) => new(local.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Go's time.RFC3339 in UTC, as in crypto/x509's CertificateInvalidError.</summary>
    private static string Go(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The resource key of a validity summary: for the leaf or an intermediate, with or without the address, in hours, one day or days.</summary>
    private static string Key(string stem, bool leaf, InspectionReport report, TimeSpan span) =>
        $"{stem}.{(leaf ? "leaf" : "intermediate")}{(report.Subject is null ? "" : ".at")}.{Unit(span)}";

    private static string Unit(TimeSpan span) => span.Duration() < TimeSpan.FromDays(1) ? "hours" : (int)Math.Round(span.Duration().TotalDays) == 1 ? "day" : "days";

    private static int Count(TimeSpan span) => span.Duration() < TimeSpan.FromDays(1)
        ? Math.Max(1, (int)Math.Round(span.Duration().TotalHours))
        : (int)Math.Round(span.Duration().TotalDays);

    private static string Days(TimeSpan span)
    {
        var abs = span.Duration();
        if (abs < TimeSpan.FromDays(1))
        {
            return $"{Math.Max(1, (int)Math.Round(abs.TotalHours))} hour(s)";
        }
        var days = (int)Math.Round(abs.TotalDays);
        return days == 1 ? "1 day" : $"{days} days";
    }
}
