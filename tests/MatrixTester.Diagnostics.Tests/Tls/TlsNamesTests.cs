using System.Net.Security;
using System.Security.Authentication;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics.Tests.Tls;

public sealed class TlsNamesTests
{
    [Theory]
    [InlineData(SslProtocols.Tls13, "TLS 1.3")]
    [InlineData(SslProtocols.Tls12, "TLS 1.2")]
    [InlineData((SslProtocols)0x0300, "TLS 1.1")]
    [InlineData((SslProtocols)0x00C0, "TLS 1.0")]
    [InlineData(SslProtocols.None, "0x0000")]
    public void Versions_are_named_as_go_names_them(SslProtocols protocol, string name) =>
        Assert.Equal(name, TlsNames.Version(protocol));

    [Theory]
    [InlineData(TlsCipherSuite.TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256")]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")]
    [InlineData((TlsCipherSuite)0xFAFA, "UNKNOWN[0xFAFA]")]
    public void Cipher_suites_use_iana_names(TlsCipherSuite suite, string name) =>
        Assert.Equal(name, TlsNames.CipherSuite(suite));
}
