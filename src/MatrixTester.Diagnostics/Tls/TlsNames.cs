using System.Net.Security;
using System.Security.Authentication;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>Protocol and cipher names exactly as Go's crypto/tls prints them (the Go report's <c>Cipher</c>).</summary>
public static class TlsNames
{
    /// <summary>"TLS 1.3", "TLS 1.2", …; Go's tls.VersionName style "0x0000" for anything else.</summary>
    public static string Version(SslProtocols protocol) => (int)protocol switch
    {
        0x3000 => "TLS 1.3",
        0x0C00 => "TLS 1.2",
        0x0300 => "TLS 1.1",
        0x00C0 => "TLS 1.0",
        0x0030 => "SSLv3",
        _ => $"0x{(int)protocol:X4}",
    };

    /// <summary>The IANA name ("TLS_AES_128_GCM_SHA256"; .NET's enum names are the IANA names), else "UNKNOWN[0x….]".</summary>
    public static string CipherSuite(TlsCipherSuite suite) =>
        Enum.IsDefined(suite) ? suite.ToString() : $"UNKNOWN[0x{(ushort)suite:X4}]";

    /// <summary>The version in a TLS record or ServerHello (0x0301 = TLS 1.0 … 0x0304 = TLS 1.3).</summary>
    public static string WireVersion(int version) => version switch
    {
        0x0300 => "SSLv3",
        >= 0x0301 and <= 0x0304 => $"TLS 1.{version - 0x0301}",
        _ => $"0x{version:X4}",
    };
}
