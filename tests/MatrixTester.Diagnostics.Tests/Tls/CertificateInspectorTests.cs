using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Lab.Pki;
using static MatrixTester.Diagnostics.Tests.Tls.TlsTestContext;

namespace MatrixTester.Diagnostics.Tests.Tls;

public sealed class CertificateInspectorTests
{
    [Fact]
    public void Valid_chain_has_no_findings_and_is_valid()
    {
        var result = Inspect(Pki.Issue("matrix.example.test"), "matrix.example.test");

        Assert.True(result.ValidCertificates);
        Assert.True(result.Trusted);
        Assert.True(result.NameMatches);
        Assert.Empty(result.Findings);
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Certificates.Count);
        Assert.Equal("matrix.example.test", result.Certificates[0].SubjectCommonName);
        Assert.Equal("MatrixTester Lab Intermediate CA", result.Certificates[0].IssuerCommonName);
        Assert.Equal("CN=MatrixTester Lab Root CA, O=MatrixTester Lab", result.TrustAnchor);
    }

    [Fact]
    public void An_untrusted_chain_names_no_trust_anchor()
    {
        Assert.Null(Inspect(Pki.IssueSelfSigned("matrix.example.test"), "matrix.example.test").TrustAnchor);
        Assert.Null(Inspect(Pki.IssueByOtherRoot("matrix.example.test"), "matrix.example.test").TrustAnchor);
    }

    [Fact]
    public void Expired_certificate_says_since_when()
    {
        var certificate = Pki.IssueExpired("matrix.example.test");
        var result = Inspect(certificate, "matrix.example.test");

        var finding = Single(result, TlsFindings.Expired, Severity.Error);
        Assert.Contains("expired 1 day ago", finding.Summary);
        Assert.False(result.ValidCertificates);
        Assert.False(result.InValidityPeriod);
        Assert.StartsWith("x509: certificate has expired or is not yet valid: current time ", result.Errors[0]);
        Assert.Contains(" is after " + certificate.Leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), result.Errors[0]);
    }

    [Fact]
    public void Not_yet_valid_certificate_is_reported()
    {
        var result = Inspect(Pki.IssueNotYetValid("matrix.example.test"), "matrix.example.test");

        Single(result, TlsFindings.NotYetValid, Severity.Error);
        Assert.Contains(" is before ", result.Errors[0]);
        Assert.False(result.ValidCertificates);
    }

    [Fact]
    public void Expiring_soon_is_a_warning_with_days_left()
    {
        var result = Inspect(Pki.IssueExpiringSoon("matrix.example.test"), "matrix.example.test");

        var finding = Single(result, TlsFindings.ExpiringSoon, Severity.Warning);
        Assert.Contains("expires in 3 days", finding.Summary);
        Assert.True(result.ValidCertificates);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Wrong_name_lists_expected_and_presented_names_in_go_words()
    {
        var result = Inspect(Pki.Issue("a.example.test", "b.example.test"), "matrix.example.test");

        var finding = Single(result, TlsFindings.NameMismatch, Severity.Error);
        Assert.Contains("matrix.example.test", finding.Detail);
        Assert.Contains("a.example.test, b.example.test", finding.Detail);
        Assert.Contains("SRV targets do not change the expected name", finding.Fix);
        Assert.Equal(["x509: certificate is valid for a.example.test, b.example.test, not matrix.example.test"], result.Errors);
        Assert.True(result.Trusted);
        Assert.False(result.ValidCertificates);
    }

    [Theory]
    [InlineData("matrix.example.test", true)]
    [InlineData("MATRIX.Example.Test", true)]
    [InlineData("example.test", false)]
    [InlineData("a.matrix.example.test", false)]
    public void Wildcard_covers_exactly_one_leftmost_label(string expected, bool matches)
    {
        var result = Inspect(Pki.Issue("*.example.test"), expected);

        Assert.Equal(matches, result.NameMatches);
        Assert.Equal(!matches, result.Has(TlsFindings.NameMismatch));
    }

    [Fact]
    public void Common_name_is_ignored_when_it_is_the_only_match()
    {
        var certificate = Pki.Issue(new LeafSpec(["other.example.test"]) { CommonName = "matrix.example.test" });

        Assert.True(Inspect(certificate, "matrix.example.test").Has(TlsFindings.NameMismatch));
    }

    [Fact]
    public void Self_signed_leaf_is_reported_as_self_signed()
    {
        var result = Inspect(Pki.IssueSelfSigned("matrix.example.test"), "matrix.example.test");

        Single(result, TlsFindings.SelfSigned, Severity.Error);
        Assert.Equal(["x509: certificate signed by unknown authority"], result.Errors);
        Assert.True(result.Certificates[0].SelfIssued);
        Assert.False(result.Trusted);
    }

    [Fact]
    public void Chain_to_an_untrusted_root_is_an_unknown_authority()
    {
        var result = Inspect(Pki.IssueByOtherRoot("matrix.example.test"), "matrix.example.test");

        var finding = Single(result, TlsFindings.UnknownRoot, Severity.Error);
        Assert.Contains("Other Untrusted Root CA", finding.Detail);
        Assert.Equal(["x509: certificate signed by unknown authority"], result.Errors);
    }

    [Fact]
    public void Leaf_without_its_intermediate_is_an_incomplete_chain_not_an_unknown_root()
    {
        var result = Inspect(Pki.IssueWithoutIntermediate("matrix.example.test"), "matrix.example.test");

        var finding = Single(result, TlsFindings.IncompleteChain, Severity.Error);
        Assert.Contains("did not send the intermediate", finding.Summary);
        Assert.Contains("fullchain.pem", finding.Fix);
        Assert.False(result.Has(TlsFindings.UnknownRoot));
        Assert.Single(result.Certificates);
    }

    [Fact]
    public void Ip_literal_with_matching_ip_san_is_valid()
    {
        Assert.True(Inspect(Pki.Issue("127.0.0.5"), "127.0.0.5").ValidCertificates);
        Assert.True(Inspect(Pki.Issue("::1"), "[::1]").ValidCertificates);
    }

    [Fact]
    public void Ip_literal_without_ip_san_gets_its_own_finding()
    {
        var result = Inspect(Pki.Issue("matrix.example.test"), "127.0.0.5");

        Single(result, TlsFindings.IpWithoutIpSan, Severity.Error);
        Assert.Equal(["x509: cannot validate certificate for 127.0.0.5 because it doesn't contain any IP SANs"], result.Errors);
    }

    [Fact]
    public void Ip_literal_with_another_ip_san_is_a_name_mismatch()
    {
        var result = Inspect(Pki.Issue("127.0.0.6"), "127.0.0.5");

        Single(result, TlsFindings.NameMismatch, Severity.Error);
        Assert.Equal(["x509: certificate is valid for 127.0.0.6, not 127.0.0.5"], result.Errors);
    }

    [Fact]
    public void Rsa_1024_key_is_weak()
    {
        var result = Inspect(Pki.IssueWeakKey("matrix.example.test"), "matrix.example.test");

        var finding = Single(result, TlsFindings.WeakKey, Severity.Error);
        Assert.Contains("1024-bit RSA", finding.Summary);
        Assert.Equal("RSA 1024", result.Certificates[0].KeyDescription);
        Assert.False(result.ValidCertificates);
    }

    [Fact]
    public void Sha1_signature_is_weak()
    {
        var result = Inspect(Pki.IssueSha1("matrix.example.test"), "matrix.example.test");

        Single(result, TlsFindings.WeakSignature, Severity.Error);
        Assert.Contains("x509: cannot verify signature: insecure algorithm ECDSA-SHA1", result.Errors);
        Assert.False(result.ValidCertificates);
    }

    [Fact]
    public void No_certificate_is_reported()
    {
        var result = Inspector.Inspect([], "matrix.example.test", Pki.Now);

        Single(result, TlsFindings.None, Severity.Error);
        Assert.False(result.ValidCertificates);
    }

    [Fact]
    public void Findings_name_the_endpoint_and_link_docs()
    {
        var finding = Inspect(Pki.IssueExpired("matrix.example.test"), "matrix.example.test").Findings[0];

        Assert.Equal("127.0.0.1:8448", finding.Subject);
        Assert.StartsWith("tls-certificates#", finding.Docs);
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
    }

    private static Finding Single(TlsCertificateResult result, FindingDefinition definition, Severity severity)
    {
        var finding = Assert.Single(result.Findings);
        Assert.Equal(definition.Id, finding.Id);
        Assert.Equal(severity, finding.Severity);
        return finding;
    }
}
