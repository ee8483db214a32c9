using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// The certificate authorities a federation peer would trust: the system's roots (spec, server-server API §TLS:
/// "strongly encouraged to rely on the operating system's list"), plus extra anchors from the PEM file in
/// <see cref="DiagnosisOptions.ExtraTrustedRoots"/> (private CAs, intranets, the test lab). Load once, share freely:
/// the anchors never change after construction.
/// </summary>
public sealed class TrustAnchors
{
    private static readonly Lazy<X509Certificate2Collection> SystemRoots = new(LoadSystemRoots);

    private readonly X509Certificate2[] extraRoots;

    /// <param name="extraRoots">Anchors trusted in addition to (or, without system roots, instead of) the system's.</param>
    /// <param name="includeSystemRoots">False for a closed world: only <paramref name="extraRoots"/> are trusted.</param>
    public TrustAnchors(IEnumerable<X509Certificate2> extraRoots, bool includeSystemRoots = true)
    {
        ArgumentNullException.ThrowIfNull(extraRoots);
        this.extraRoots = [.. extraRoots];
        IncludeSystemRoots = includeSystemRoots;
    }

    /// <summary>The operating system's roots only.</summary>
    public static TrustAnchors SystemOnly { get; } = new([]);

    public IReadOnlyList<X509Certificate2> ExtraRoots => extraRoots;

    public bool IncludeSystemRoots { get; }

    /// <summary>System roots plus the options' extra PEM file, if any. A missing or unreadable file throws at startup.</summary>
    public static TrustAnchors FromOptions(DiagnosisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.ExtraTrustedRoots) ? SystemOnly : new TrustAnchors(LoadPem(options.ExtraTrustedRoots));
    }

    /// <summary>
    /// Every certificate in a PEM file; throws <see cref="InvalidOperationException"/> naming the file, and where it
    /// was given (<paramref name="setting"/>: the site's setting unless a command-line option), if it has none.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> LoadPem(string path, string? setting = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        setting ??= $"{DiagnosisOptions.Section}:{nameof(DiagnosisOptions.ExtraTrustedRoots)}";
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"{setting}: cannot read trusted roots from '{path}': {e.Message}", e);
        }
        return certificates.Count > 0
            ? [.. certificates]
            : throw new InvalidOperationException($"{setting}: '{path}' contains no PEM CERTIFICATE blocks.");
    }

    /// <summary>
    /// A chain policy that verifies against these anchors at <paramref name="verificationTime"/>, using only the
    /// certificates the server sent as intermediates. Downloads stay off: a missing intermediate must be reported
    /// (peers do not fetch it either), not silently repaired through AIA. Revocation is not checked (offline, and
    /// federation peers do not check it either).
    /// </summary>
    public X509ChainPolicy CreatePolicy(DateTimeOffset verificationTime, IEnumerable<X509Certificate2>? sentIntermediates = null)
    {
        var policy = new X509ChainPolicy
        {
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationTime = verificationTime.UtcDateTime,
            VerificationTimeIgnored = false,
        };
        if (extraRoots.Length > 0 || !IncludeSystemRoots)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            if (IncludeSystemRoots)
            {
                policy.CustomTrustStore.AddRange(SystemRoots.Value);
            }
            policy.CustomTrustStore.AddRange(extraRoots);
        }
        if (sentIntermediates is not null)
        {
            policy.ExtraStore.AddRange(sentIntermediates.ToArray());
        }
        return policy;
    }

    /// <summary>Whether a certificate is itself one of the anchors (compared by DER).</summary>
    public bool IsAnchor(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return extraRoots.Any(r => r.RawData.AsSpan().SequenceEqual(certificate.RawData))
            || (IncludeSystemRoots && SystemRoots.Value.Any(r => r.RawData.AsSpan().SequenceEqual(certificate.RawData)));
    }

    private static X509Certificate2Collection LoadSystemRoots()
    {
        // On Linux this reads the OpenSSL trust directory (/etc/ssl/certs); copies outlive the store handle.
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        return [.. store.Certificates];
    }
}
