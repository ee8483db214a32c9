using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Tls;
using static MatrixTester.Diagnostics.Tests.Tls.TlsTestContext;

namespace MatrixTester.Diagnostics.Tests.Tls;

public sealed class LabPkiTests
{
    [Fact]
    public void Leaves_carry_their_key_and_the_chain_to_send()
    {
        var certificate = Pki.Issue("matrix.example.test");

        Assert.True(certificate.Leaf.HasPrivateKey);
        Assert.Equal([certificate.Leaf, Pki.Intermediate], certificate.ChainToSend);
        Assert.Equal([Pki.Intermediate], certificate.Intermediates);
        var leafOnly = Pki.IssueWithoutIntermediate("matrix.example.test");
        Assert.Equal([leafOnly.Leaf], leafOnly.ChainToSend);
    }

    [Fact]
    public void Root_pem_round_trips_to_the_root()
    {
        var parsed = X509Certificate2.CreateFromPem(Pki.RootPem);

        Assert.Equal(Pki.Root.RawData, parsed.RawData);
    }

    [Fact]
    public void Variants_have_the_promised_dates_relative_to_now()
    {
        Assert.True(Pki.IssueExpired("a.test").Leaf.NotAfter.ToUniversalTime() < Pki.Now.UtcDateTime);
        Assert.True(Pki.IssueNotYetValid("a.test").Leaf.NotBefore.ToUniversalTime() > Pki.Now.UtcDateTime);
        var soon = Pki.IssueExpiringSoon("a.test").Leaf.NotAfter.ToUniversalTime() - Pki.Now.UtcDateTime;
        Assert.InRange(soon.TotalDays, 2.9, 3.0);
    }

    [Fact]
    public async Task Issuing_is_thread_safe()
    {
        var leaves = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Pki.Issue($"h{i}.example.test"))));

        Assert.All(leaves, (leaf, i) => Assert.True(Inspect(leaf, $"h{i}.example.test").ValidCertificates));
        Assert.Equal(16, leaves.Select(l => l.Leaf.SerialNumber).Distinct().Count());
    }

    [Fact]
    public void Certificate_signed_by_a_non_ca_leaf_is_an_invalid_chain()
    {
        // A server that signed its own "leaf" with another leaf's key: the signer is not a CA.
        var signer = Pki.Issue("signer.example.test");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=matrix.example.test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("matrix.example.test");
        request.CertificateExtensions.Add(san.Build());
        using var signerKey = signer.Leaf.GetECDsaPrivateKey()!;
        using var bogus = request.Create(signer.Leaf.SubjectName, X509SignatureGenerator.CreateForECDsa(signerKey),
            Pki.Now.AddHours(-1), Pki.Now.AddDays(30), [1, 2, 3]);

        var result = Inspector.Inspect([bogus, signer.Leaf, Pki.Intermediate], "matrix.example.test", Pki.Now);

        Assert.Equal(["tls.cert.invalid_chain"], result.Findings.Select(f => f.Id));
        Assert.False(result.Trusted);
    }
}
