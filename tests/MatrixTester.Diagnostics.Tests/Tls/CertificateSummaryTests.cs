using System.Security.Cryptography;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Lab.Pki;
using static MatrixTester.Diagnostics.Tests.Tls.TlsTestContext;

namespace MatrixTester.Diagnostics.Tests.Tls;

public sealed class CertificateSummaryTests
{
    [Fact]
    public void Fingerprint_is_unpadded_base64_and_hex_of_sha256_over_der()
    {
        var leaf = Pki.Issue("matrix.example.test").Leaf;

        var summary = CertificateSummary.From(leaf);

        var digest = SHA256.HashData(leaf.RawData);
        Assert.Equal(Convert.ToBase64String(digest).TrimEnd('='), summary.Sha256Fingerprint);
        Assert.Equal(43, summary.Sha256Fingerprint.Length);
        Assert.DoesNotContain('=', summary.Sha256Fingerprint);
        Assert.Equal(Convert.ToHexString(digest), summary.Sha256Hex);
    }

    [Fact]
    public void Names_keys_and_algorithms_are_summarised()
    {
        var summary = CertificateSummary.From(Pki.Issue("matrix.example.test", "127.0.0.9", "::1").Leaf);

        Assert.Equal("matrix.example.test", summary.SubjectCommonName);
        Assert.Equal("MatrixTester Lab Intermediate CA", summary.IssuerCommonName);
        Assert.Equal(["matrix.example.test"], summary.DnsNames);
        Assert.Equal(["127.0.0.9", "::1"], summary.IpAddresses);
        Assert.Equal("ECDSA P-256", summary.KeyDescription);
        Assert.Equal("sha256ECDSA", summary.SignatureAlgorithm);
        Assert.False(summary.SelfIssued);
        Assert.True(summary.NotBefore < summary.NotAfter);
    }

    [Fact]
    public void Rsa_key_size_is_reported()
    {
        var summary = CertificateSummary.From(Pki.Issue(new LeafSpec(["rsa.example.test"]) { Key = LabKey.Rsa2048 }).Leaf);

        Assert.Equal("RSA 2048", summary.KeyDescription);
    }
}
