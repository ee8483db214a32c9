using MatrixTester.Diagnostics.Tls;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Diagnostics.Tests.Tls;

/// <summary>The lab PKI and an inspector that trusts its root, shared by the TLS tests.</summary>
internal static class TlsTestContext
{
    public static LabPki Pki => LabPki.Instance;

    public static TrustAnchors Anchors { get; } = new([LabPki.Instance.Root]);

    public static CertificateInspector Inspector { get; } = new(Anchors, TimeSpan.FromDays(14));

    public static TlsCertificateResult Inspect(LabCertificate certificate, string expectedName) =>
        Inspector.Inspect(certificate.ChainToSend, expectedName, Pki.Now, "127.0.0.1:8448");
}
