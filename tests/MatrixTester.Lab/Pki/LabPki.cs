using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Lab.Pki;

/// <summary>
/// The lab's certificate authority: a root → intermediate → leaf hierarchy built with <see cref="CertificateRequest"/>,
/// plus an "other" root nobody trusts. Build it once per process (<see cref="Instance"/>): keys are cached, and
/// issuing a leaf is then a signature, not a key generation. Thread-safe: all state is immutable after construction
/// except the lazily created RSA keys.
/// </summary>
public sealed class LabPki
{
    private static readonly Lazy<LabPki> Shared = new(() => new LabPki(TimeProvider.System));

    private readonly TimeProvider time;
    private readonly ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Lazy<RSA> rsa2048 = new(() => RSA.Create(2048));
    private readonly Lazy<RSA> rsa1024 = new(() => RSA.Create(1024));
    private readonly CertificateAuthority trusted;
    private readonly CertificateAuthority other;

    public LabPki(TimeProvider time)
    {
        this.time = time;
        trusted = CertificateAuthority.Create("MatrixTester Lab Root CA", "MatrixTester Lab Intermediate CA", Now);
        other = CertificateAuthority.Create("Other Untrusted Root CA", "Other Untrusted Intermediate CA", Now);
        RootPem = Root.ExportCertificatePem() + "\n";
    }

    /// <summary>The process-wide lab PKI on the system clock.</summary>
    public static LabPki Instance => Shared.Value;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The trusted lab root (give it to the engine via <c>Diagnosis:ExtraTrustedRoots</c>).</summary>
    public X509Certificate2 Root => trusted.Root;

    public X509Certificate2 Intermediate => trusted.Intermediate;

    /// <summary>A root that is in no trust store.</summary>
    public X509Certificate2 OtherRoot => other.Root;

    /// <summary>The root certificate as PEM, for an <c>ExtraTrustedRoots</c> file.</summary>
    public string RootPem { get; }

    public void WriteRootPem(string path) => File.WriteAllText(path, RootPem);

    /// <summary>A valid leaf for the given DNS names or IP literals (IP strings become IP SANs).</summary>
    public LabCertificate Issue(params string[] dnsNamesOrIps) => Issue(new LeafSpec(dnsNamesOrIps));

    public LabCertificate IssueExpired(params string[] names) => Issue(new LeafSpec(names)
    {
        NotBeforeOffset = TimeSpan.FromDays(-90),
        NotAfterOffset = TimeSpan.FromDays(-1),
    });

    public LabCertificate IssueNotYetValid(params string[] names) => Issue(new LeafSpec(names)
    {
        NotBeforeOffset = TimeSpan.FromDays(1),
        NotAfterOffset = TimeSpan.FromDays(91),
    });

    public LabCertificate IssueExpiringSoon(params string[] names) =>
        Issue(new LeafSpec(names) { NotAfterOffset = TimeSpan.FromDays(3) });

    public LabCertificate IssueSelfSigned(params string[] names) =>
        Issue(new LeafSpec(names) { Issuer = LabIssuer.SelfSigned });

    public LabCertificate IssueByOtherRoot(params string[] names) =>
        Issue(new LeafSpec(names) { Issuer = LabIssuer.OtherRoot });

    public LabCertificate IssueWeakKey(params string[] names) => Issue(new LeafSpec(names) { Key = LabKey.Rsa1024 });

    public LabCertificate IssueSha1(params string[] names) => Issue(new LeafSpec(names) { Sha1Signature = true });

    /// <summary>A correct leaf whose server forgot the intermediate (served cert.pem instead of fullchain.pem).</summary>
    public LabCertificate IssueWithoutIntermediate(params string[] names) =>
        Issue(new LeafSpec(names) { SendIntermediate = false });

    /// <summary>
    /// A correct leaf sent as a stale fullchain.pem: leaf, intermediate, and the trusted root cross-signed by the
    /// untrusted "other" CA, expired a month ago (as Let's Encrypt's ISRG Root X1 cross-signed by DST Root CA X3
    /// was). A verifier that builds trusted-first never needs the cross-signed copy.
    /// </summary>
    public LabCertificate IssueWithExpiredCrossSignedRoot(params string[] names)
    {
        var leaf = Issue(names);
        using var rootKey = trusted.Root.GetECDsaPublicKey()!;
        var request = new CertificateRequest(trusted.Root.SubjectName, rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(other.Intermediate, true, false));
        var crossSigned = request.Create(other.Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(other.IntermediateKey),
            Now.AddDays(-400), Now.AddDays(-30), CertificateAuthority.NewSerial());
        return leaf with { ChainToSend = [.. leaf.ChainToSend, crossSigned] };
    }

    public LabCertificate Issue(LeafSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = spec.Names.Count > 0 ? spec.Names : throw new ArgumentException("A leaf needs a name.", nameof(spec));
        var subject = new X500DistinguishedName($"CN={spec.CommonName ?? names[0]}, O=MatrixTester Lab");
        var (request, withKey) = CreateRequest(subject, spec.Key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | (spec.Key == LabKey.EcdsaP256 ? 0 : X509KeyUsageFlags.KeyEncipherment), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(SubjectAltNames(names));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var notBefore = Now + spec.NotBeforeOffset;
        var notAfter = Now + spec.NotAfterOffset;
        if (spec.Issuer == LabIssuer.SelfSigned)
        {
            var self = request.CreateSelfSigned(notBefore, notAfter);
            return new LabCertificate(self, [self]);
        }

        var ca = spec.Issuer == LabIssuer.OtherRoot ? other : trusted;
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Intermediate, true, false));
        var generator = spec.Sha1Signature
            ? new Sha1SignatureGenerator(ca.IntermediateKey)
            : X509SignatureGenerator.CreateForECDsa(ca.IntermediateKey);
        using var unkeyed = request.Create(ca.Intermediate.SubjectName, generator, notBefore, notAfter, CertificateAuthority.NewSerial());
        var leaf = withKey(unkeyed);
        return new LabCertificate(leaf, spec.SendIntermediate ? [leaf, ca.Intermediate] : [leaf]);
    }

    private (CertificateRequest Request, Func<X509Certificate2, X509Certificate2> WithKey) CreateRequest(
        X500DistinguishedName subject, LabKey key) => key switch
    {
        LabKey.EcdsaP256 => (new CertificateRequest(subject, leafKey, HashAlgorithmName.SHA256), c => c.CopyWithPrivateKey(leafKey)),
        LabKey.Rsa2048 => (new CertificateRequest(subject, rsa2048.Value, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            c => c.CopyWithPrivateKey(rsa2048.Value)),
        LabKey.Rsa1024 => (new CertificateRequest(subject, rsa1024.Value, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            c => c.CopyWithPrivateKey(rsa1024.Value)),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    private static X509Extension SubjectAltNames(IEnumerable<string> names)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name.Trim('[', ']'), out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }
        return san.Build();
    }
}
