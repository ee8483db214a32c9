using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// RFC 6125 name checks as Go's crypto/x509 and Python's service_identity do them: DNS names against dNSName SANs
/// (a wildcard only as the whole leftmost label, matching exactly one label), IP addresses against iPAddress SANs,
/// case-insensitive, and the subject CN ignored (Go dropped CN fallback in 1.15; federation peers are Go or Python).
/// </summary>
public static class HostnameMatcher
{
    private static readonly IdnMapping Idn = new();

    public static bool Matches(X509Certificate2 certificate, string expectedName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(expectedName);
        if (TryParseIp(expectedName, out var ip))
        {
            return CertificateSummary.IpSans(certificate).Any(san => san.Equals(ip));
        }
        return CertificateSummary.SubjectAltNames(certificate).DnsNames.Any(pattern => MatchesDns(pattern, expectedName));
    }

    /// <summary>One dNSName SAN against one host name.</summary>
    public static bool MatchesDns(string pattern, string host)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(host);
        pattern = Normalize(pattern);
        host = Normalize(host);
        if (pattern.Length == 0 || host.Length == 0)
        {
            return false;
        }
        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }
        // "*.example.com": the wildcard stands for exactly one whole label, and needs at least two labels after it
        // (no "*.com"). "f*.example.com" and "*.*.example.com" are not wildcards we honour (RFC 6125 §6.4.3).
        var suffix = pattern[1..];
        if (suffix.Contains('*', StringComparison.Ordinal) || suffix.Count(c => c == '.') < 2)
        {
            return false;
        }
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && string.Equals(host[dot..], suffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An IP literal (IPv6 possibly bracketed), as a server name or delegated name can be.</summary>
    public static bool TryParseIp(string name, out IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;
        // IPAddress.TryParse accepts odd forms like "1" or "1.2"; a server name is only an IP in dotted-quad or v6 form.
        if (IPAddress.TryParse(trimmed, out var parsed)
            && (parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || trimmed.Count(c => c == '.') == 3))
        {
            address = parsed;
            return true;
        }
        address = IPAddress.None;
        return false;
    }

    private static string Normalize(string name)
    {
        name = name.TrimEnd('.');
        try
        {
            // Compare A-labels, so a SAN "xn--…" matches a Unicode server name and vice versa.
            return name.Contains('*', StringComparison.Ordinal) ? name : Idn.GetAscii(name);
        }
        catch (ArgumentException)
        {
            return name;
        }
    }
}
