using MatrixTester.Diagnostics.Tls;
using static MatrixTester.Diagnostics.Tests.Tls.TlsTestContext;

namespace MatrixTester.Diagnostics.Tests.Tls;

public sealed class TrustAnchorsTests
{
    [Fact]
    public void Extra_roots_load_from_the_options_pem_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tls-roots-{Guid.NewGuid():N}.pem");
        try
        {
            Pki.WriteRootPem(path);

            var anchors = TrustAnchors.FromOptions(new DiagnosisOptions { ExtraTrustedRoots = path });

            Assert.Equal(Pki.Root.RawData, Assert.Single(anchors.ExtraRoots).RawData);
            Assert.True(anchors.IsAnchor(Pki.Root));
            var inspector = new CertificateInspector(anchors, TimeSpan.FromDays(14));
            Assert.True(inspector.Inspect(Pki.Issue("a.example.test").ChainToSend, "a.example.test", Pki.Now).ValidCertificates);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Without_extra_roots_the_lab_chain_is_not_trusted()
    {
        var inspector = new CertificateInspector(TrustAnchors.FromOptions(new DiagnosisOptions()), TimeSpan.FromDays(14));

        var result = inspector.Inspect(Pki.Issue("a.example.test").ChainToSend, "a.example.test", Pki.Now);

        Assert.True(result.Has(TlsFindings.UnknownRoot));
    }

    [Fact]
    public void Missing_file_is_a_clear_startup_error()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => TrustAnchors.FromOptions(new DiagnosisOptions { ExtraTrustedRoots = "/nonexistent/roots.pem" }));

        Assert.Contains("Diagnosis:ExtraTrustedRoots", error.Message);
        Assert.Contains("/nonexistent/roots.pem", error.Message);
    }

    [Fact]
    public void File_without_certificates_is_a_clear_startup_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tls-roots-{Guid.NewGuid():N}.pem");
        try
        {
            File.WriteAllText(path, "not a certificate\n");

            var error = Assert.Throws<InvalidOperationException>(
                () => TrustAnchors.FromOptions(new DiagnosisOptions { ExtraTrustedRoots = path }));

            Assert.Contains("no PEM CERTIFICATE", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Verification_time_comes_from_the_caller()
    {
        var certificate = Pki.Issue("a.example.test");

        var later = Inspector.Inspect(certificate.ChainToSend, "a.example.test", Pki.Now.AddDays(100));

        Assert.True(later.Has(TlsFindings.Expired));
    }
}
