using System.Net;
using System.Net.Sockets;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Lab.Pki;
using static MatrixTester.Diagnostics.Tests.Tls.TlsTestContext;

namespace MatrixTester.Diagnostics.Tests.Tls;

/// <summary>Real handshakes against SslStream servers on loopback that send exactly the lab chain.</summary>
public sealed class TlsProbeTests
{
    private static readonly DiagnosisOptions Options = new() { ConnectTimeout = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task Valid_server_reports_version_cipher_chain_and_sni()
    {
        var certificate = Pki.Issue("matrix.example.test");
        await using var server = LoopbackTlsServer.StartTls(certificate);

        var result = await ProbeAsync(server, "matrix.example.test");

        Assert.True(result.Succeeded, string.Join("; ", result.Findings.Select(f => f.Detail)));
        Assert.Empty(result.Findings);
        Assert.Equal("TLS 1.3", result.Version);
        Assert.StartsWith("TLS_", result.CipherSuite, StringComparison.Ordinal);
        Assert.True(result.Certificate!.ValidCertificates);
        Assert.Equal("matrix.example.test", result.SniSent);
        Assert.Equal("matrix.example.test", server.LastSni);
    }

    [Fact]
    public async Task Chain_as_sent_includes_the_intermediate_in_server_order()
    {
        var certificate = Pki.Issue("matrix.example.test");
        await using var server = LoopbackTlsServer.StartTls(certificate);

        var result = await ProbeAsync(server, "matrix.example.test");

        Assert.Equal(2, result.ChainAsSent.Count);
        Assert.Equal(certificate.Leaf.RawData, result.ChainAsSent[0].RawData);
        Assert.Equal(Pki.Intermediate.RawData, result.ChainAsSent[1].RawData);
    }

    [Fact]
    public async Task Leaf_only_server_is_seen_sending_one_certificate_and_gets_incomplete_chain()
    {
        await using var server = LoopbackTlsServer.StartTls(Pki.IssueWithoutIntermediate("matrix.example.test"));

        var result = await ProbeAsync(server, "matrix.example.test");

        Assert.True(result.Succeeded);
        Assert.Single(result.ChainAsSent);
        Assert.True(result.Has(TlsFindings.IncompleteChain));
        Assert.False(result.Has(TlsFindings.UnknownRoot));
    }

    public static TheoryData<string, string> CertificateProblems => new()
    {
        { nameof(LabPki.IssueExpired), "tls.cert.expired" },
        { nameof(LabPki.IssueNotYetValid), "tls.cert.not_yet_valid" },
        { nameof(LabPki.IssueSelfSigned), "tls.cert.self_signed" },
        { nameof(LabPki.IssueByOtherRoot), "tls.cert.unknown_root" },
        { nameof(LabPki.IssueExpiringSoon), "tls.cert.expiring_soon" },
    };

    [Theory]
    [MemberData(nameof(CertificateProblems))]
    public async Task Certificate_problems_complete_the_handshake_and_become_findings(string variant, string findingId)
    {
        var issue = typeof(LabPki).GetMethod(variant, [typeof(string[])])!;
        var certificate = (LabCertificate)issue.Invoke(Pki, [new[] { "matrix.example.test" }])!;
        await using var server = LoopbackTlsServer.StartTls(certificate);

        var result = await ProbeAsync(server, "matrix.example.test");

        Assert.True(result.Succeeded);
        Assert.Equal([findingId], result.Findings.Select(f => f.Id));
        Assert.Equal(server.Endpoint, result.Findings[0].Subject);
    }

    [Fact]
    public async Task Wrong_name_is_a_name_mismatch()
    {
        await using var server = LoopbackTlsServer.StartTls(Pki.Issue("other.example.test"));

        var result = await ProbeAsync(server, "matrix.example.test");

        Assert.Equal(["tls.cert.name_mismatch"], result.Findings.Select(f => f.Id));
        Assert.Equal(["x509: certificate is valid for other.example.test, not matrix.example.test"], result.Certificate!.Errors);
    }

    [Fact]
    public async Task Ip_literal_sends_no_sni_and_accepts_an_ip_san()
    {
        await using var server = LoopbackTlsServer.StartTls(Pki.Issue("127.0.0.2"), "127.0.0.2");

        var result = await ProbeAsync(server, "127.0.0.2");

        Assert.Empty(result.Findings);
        Assert.Null(result.SniSent);
        Assert.True(string.IsNullOrEmpty(server.LastSni), $"SNI sent: {server.LastSni}");
    }

    [Fact]
    public async Task Ip_literal_without_ip_san_is_reported()
    {
        await using var server = LoopbackTlsServer.StartTls(Pki.Issue("matrix.example.test"), "127.0.0.2");

        var result = await ProbeAsync(server, "127.0.0.2");

        Assert.Equal(["tls.cert.ip_without_ip_san"], result.Findings.Select(f => f.Id));
    }

    [Fact]
    public async Task Capture_works_inside_an_HttpClient_handler()
    {
        var certificate = Pki.Issue("matrix.example.test");
        await using var server = LoopbackTlsServer.StartTls(certificate);
        var capture = new TlsCapture();
        using var handler = new SocketsHttpHandler
        {
            SslOptions = capture.CreateClientOptions("matrix.example.test", Anchors, Pki.Now),
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(server.EndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler);

        var uri = new Uri("https://matrix.example.test/_matrix/federation/v1/version");
        var body = await client.GetStringAsync(uri, TestContext.Current.CancellationToken);

        Assert.Equal("ok", body);
        Assert.Equal(2, capture.Peer!.ChainAsSent.Count);
        Assert.True(Inspector.Inspect(capture.Peer.ChainAsSent, "matrix.example.test", Pki.Now).ValidCertificates);
    }

    [Fact]
    public async Task Shared_client_options_do_not_leak_certificates_between_handshakes()
    {
        // SocketsHttpHandler reuses one SslOptions (and so one chain policy) for every connection it opens.
        await using var full = LoopbackTlsServer.StartTls(Pki.Issue("matrix.example.test"));
        await using var leafOnly = LoopbackTlsServer.StartTls(Pki.IssueWithoutIntermediate("matrix.example.test"));
        var capture = new TlsCapture();
        var options = capture.CreateClientOptions("matrix.example.test", Anchors, Pki.Now);
        var ct = TestContext.Current.CancellationToken;

        foreach (var server in new[] { full, leafOnly })
        {
            await using var stream = await server.ConnectAsync();
            await using var ssl = new System.Net.Security.SslStream(stream);
            await ssl.AuthenticateAsClientAsync(options, ct);
        }

        Assert.Single(capture.Peer!.ChainAsSent);
        Assert.Empty(options.CertificateChainPolicy!.ExtraStore);
    }

    private static async Task<TlsHandshakeResult> ProbeAsync(LoopbackTlsServer server, string expectedName)
    {
        await using var stream = await server.ConnectAsync();
        var probe = new TlsProbe(Anchors, Options, TimeProvider.System);
        return await probe.HandshakeAsync(stream, expectedName, server.Endpoint, TestContext.Current.CancellationToken);
    }
}
