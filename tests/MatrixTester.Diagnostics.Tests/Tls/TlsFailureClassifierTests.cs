using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics.Tests.Tls;

public sealed class TlsFailureClassifierTests
{
    private const string Endpoint = "192.0.2.1:8448";

    [Theory]
    [InlineData(SocketError.ConnectionRefused, "net.connection_refused")]
    [InlineData(SocketError.ConnectionReset, "net.connection_reset")]
    [InlineData(SocketError.TimedOut, "net.timeout")]
    [InlineData(SocketError.NetworkUnreachable, "net.unreachable")]
    [InlineData(SocketError.HostUnreachable, "net.unreachable")]
    public void Socket_errors_are_told_apart_even_when_wrapped(SocketError error, string id)
    {
        var wrapped = new IOException("Unable to read data from the transport connection.", new SocketException((int)error));

        var finding = TlsFailureClassifier.Classify(wrapped, Endpoint);

        Assert.Equal(id, finding.Id);
        Assert.Equal(Endpoint, finding.Subject);
        Assert.Contains(Endpoint, finding.Summary);
    }

    [Fact]
    public void Timeout_exception_is_a_timeout() =>
        Assert.Equal("net.timeout", TlsFailureClassifier.Classify(new TimeoutException(), Endpoint).Id);

    [Fact]
    public void Openssl_unsupported_protocol_is_too_old_not_a_raw_error()
    {
        var error = new AuthenticationException("Authentication failed, see inner exception.",
            new InvalidOperationException(
                "SSL Handshake failed with OpenSSL error - SSL_ERROR_SSL. error:0A000102:SSL routines::unsupported protocol"));

        var finding = TlsFailureClassifier.Classify(error, Endpoint);

        Assert.Equal("tls.protocol.too_old", finding.Id);
        Assert.Contains("TLS 1.2 or 1.3", finding.Summary);
    }

    [Fact]
    public void Other_handshake_failures_keep_the_inner_message()
    {
        var error = new AuthenticationException("Authentication failed, see inner exception.",
            new InvalidOperationException("error:0A000438:SSL routines::tlsv1 alert internal error"));

        var finding = TlsFailureClassifier.Classify(error, Endpoint);

        Assert.Equal("tls.handshake_failed", finding.Id);
        Assert.Contains("tlsv1 alert internal error", finding.Detail);
    }

    [Fact]
    public void First_bytes_reveal_a_non_tls_service()
    {
        var banner = Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2\r\n");

        var finding = TlsFailureClassifier.Classify(new AuthenticationException("x"), Endpoint, banner);

        Assert.Equal("tls.not_tls", finding.Id);
        Assert.Contains("SSH-2.0-OpenSSH_9.2", finding.Detail);
        Assert.DoesNotContain("plain HTTP", finding.Summary);
    }

    [Fact]
    public void Every_connection_and_tls_finding_is_in_the_catalog()
    {
        string[] ids =
        [
            "net.connection_refused", "net.connection_reset", "net.timeout", "net.unreachable",
            "tls.cert.none", "tls.cert.expired", "tls.cert.not_yet_valid", "tls.cert.expiring_soon",
            "tls.cert.name_mismatch", "tls.cert.ip_without_ip_san", "tls.cert.self_signed", "tls.cert.unknown_root",
            "tls.cert.incomplete_chain", "tls.cert.invalid_chain", "tls.cert.weak_key", "tls.cert.weak_signature",
            "tls.protocol.too_old", "tls.not_tls", "tls.handshake_failed",
        ];

        Assert.All(ids, id => Assert.NotNull(Findings.FindingCatalog.Find(id)));
    }
}
