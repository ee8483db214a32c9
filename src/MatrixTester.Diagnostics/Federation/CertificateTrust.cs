using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>
/// The trust anchors the engine validates against: the system's roots plus, optionally, a PEM file of extra roots
/// (<see cref="DiagnosisOptions.ExtraTrustedRoots"/>: private CAs, intranets, the test lab). Loaded once.
/// </summary>
public sealed class CertificateTrust
{
    private readonly X509Certificate2Collection _extraRoots;

    public CertificateTrust(string? extraRootsPemPath)
    {
        _extraRoots = [];
        if (!string.IsNullOrWhiteSpace(extraRootsPemPath))
        {
            if (!File.Exists(extraRootsPemPath))
            {
                throw new FileNotFoundException($"Diagnosis:ExtraTrustedRoots points to '{extraRootsPemPath}', which does not exist.", extraRootsPemPath);
            }
            _extraRoots.ImportFromPemFile(extraRootsPemPath);
            if (_extraRoots.Count == 0)
            {
                throw new InvalidDataException($"Diagnosis:ExtraTrustedRoots file '{extraRootsPemPath}' contains no PEM certificate.");
            }
        }
    }

    public IReadOnlyList<X509Certificate2> ExtraRoots => [.. _extraRoots];

    /// <summary>
    /// A chain policy for validating what a server sent: no revocation checks and no certificate downloads, so an
    /// incomplete chain is reported instead of being silently repaired from the issuer's AIA URL.
    /// </summary>
    public X509ChainPolicy CreatePolicy(DateTimeOffset now, IEnumerable<X509Certificate2> intermediatesSent)
    {
        var policy = new X509ChainPolicy
        {
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationTime = now.UtcDateTime,
            VerificationTimeIgnored = false,
        };
        policy.ExtraStore.AddRange(intermediatesSent.ToArray());
        if (_extraRoots.Count > 0)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(_extraRoots);
            using var system = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            system.Open(OpenFlags.ReadOnly);
            policy.CustomTrustStore.AddRange(system.Certificates);
        }
        return policy;
    }

    /// <summary>Normal X.509 validation of <paramref name="chainAsSent"/> for <paramref name="name"/>; null when valid, else why not.</summary>
    public string? Validate(IReadOnlyList<X509Certificate2> chainAsSent, string name, DateTimeOffset now)
    {
        if (chainAsSent.Count == 0)
        {
            return "The server sent no certificate.";
        }
        var leaf = chainAsSent[0];
        using var chain = new X509Chain { ChainPolicy = CreatePolicy(now, chainAsSent.Skip(1)) };
        if (!chain.Build(leaf))
        {
            var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return $"The certificate chain is not trusted: {status}";
        }
        var matches = IPAddress.TryParse(name.Trim('[', ']'), out var ip)
            ? leaf.MatchesHostname(ip.ToString(), allowWildcards: false, allowCommonName: false)
            : leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: false);
        return matches ? null : $"The certificate is not valid for {name} (it names {string.Join(", ", DnsNames(leaf))}).";
    }

    private static IEnumerable<string> DnsNames(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return san is null
            ? [certificate.GetNameInfo(X509NameType.SimpleName, false)]
            : san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString()));
    }
}
