using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// Judges a certificate chain the way a federating homeserver would (spec, server-server API §TLS: a certificate
/// "signed by a known Certificate Authority" for the expected name). Pure: no network, no clock reads; the caller
/// passes the chain as sent, the expected name and "now". Thread-safe.
/// </summary>
public sealed class CertificateInspector(TrustAnchors anchors, TimeSpan expiryWarning)
{
    public CertificateInspector(TrustAnchors anchors, DiagnosisOptions options)
        : this(anchors, (options ?? throw new ArgumentNullException(nameof(options))).CertificateExpiryWarning)
    {
    }

    /// <param name="chainAsSent">The server's certificates in the order sent, leaf first.</param>
    /// <param name="expectedName">The DNS name or IP literal the certificate must cover (never an SRV target).</param>
    /// <param name="now">The verification time.</param>
    /// <param name="subject">The endpoint findings are about, e.g. "192.0.2.1:8448".</param>
    public TlsCertificateResult Inspect(
        IReadOnlyList<X509Certificate2> chainAsSent, string expectedName, DateTimeOffset now, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(chainAsSent);
        ArgumentNullException.ThrowIfNull(expectedName);
        var where = subject is null ? "" : $" at {subject}";
        if (chainAsSent.Count == 0)
        {
            var none = TlsFindings.None.Create(
                $"The server{where} presented no certificate.", "The TLS handshake completed without a server certificate.", subject);
            return new TlsCertificateResult(expectedName, [], false, false, false, ["tls: received empty certificates message"], [none]);
        }

        var report = new InspectionReport(subject, where);
        var leaf = chainAsSent[0];
        // Judge the path a verifier actually builds (trusted-first, as OpenSSL and Go do), not every certificate
        // sent: a stale bundle's extra certificate is never looked at by peers. Untrusted: judge what was sent.
        var trustReport = new InspectionReport(subject, where);
        var (trusted, path, anchor) = CheckTrust(chainAsSent, now, trustReport);
        var judged = trusted ? chainAsSent.Where(c => path.Contains(c.Thumbprint)).ToList() : [.. chainAsSent];
        var inValidity = CertificateChecks.CheckValidity(judged, now, report);
        CertificateChecks.CheckSignatures(judged, report);
        report.Append(trustReport);
        var nameMatches = CertificateChecks.CheckName(leaf, expectedName, report);
        CertificateChecks.CheckKeys(judged, report);
        CheckUnneeded(chainAsSent.Except(judged), now, report);
        if (inValidity)
        {
            CertificateChecks.CheckExpiringSoon(leaf, now, expiryWarning, report);
        }
        return new TlsCertificateResult(
            expectedName, [.. chainAsSent.Take(CertificateSummary.MaxReportedChain).Select(CertificateSummary.From)], trusted, nameMatches, inValidity,
            [.. report.Errors.Select(e => ReportText.Cap(e, ReportText.Line))], FindingList.Bounded(report.Findings))
        {
            TrustAnchor = anchor,
        };
    }

    /// <summary>
    /// A certificate the server sends that the built path does not use (typically an expired cross-signed root in a
    /// stale fullchain.pem): its problems are a warning, never an error, since no peer looks at it.
    /// </summary>
    private static void CheckUnneeded(IEnumerable<X509Certificate2> extras, DateTimeOffset now, InspectionReport report)
    {
        foreach (var extra in extras)
        {
            var scratch = new InspectionReport(null, "");
            CertificateChecks.CheckValidity([extra], now, scratch);
            if (!CertificateChecks.IsSelfSigned(extra))
            {
                CertificateChecks.CheckSignatures([extra], scratch);
            }
            CertificateChecks.CheckKeys([extra], scratch);
            if (scratch.Findings.Count > 0)
            {
                var name = CommonNameOrSubject(extra);
                report.Add(TlsFindings.UnneededInChain,
                    $"The server{report.Where} also sends '{name}' (issued by '{extra.IssuerName.Name}'), which the path to a trusted root does not use.",
                    $"{string.Join(" ", scratch.Findings.Select(f => f.Summary))} Peers build the path from your certificate to a trusted root and ignore this one, so it does no harm today, but stricter or older clients may try it.",
                    goError: null);
            }
        }
    }

    private (bool Trusted, HashSet<string> Path, string? Anchor) CheckTrust(IReadOnlyList<X509Certificate2> sent, DateTimeOffset now, InspectionReport report)
    {
        var leaf = sent[0];
        using var chain = new X509Chain { ChainPolicy = anchors.CreatePolicy(now, sent.Skip(1)) };
        chain.Build(leaf);
        // Validity periods are judged separately (with a clearer message), so they do not make a chain untrusted.
        const X509ChainStatusFlags timeFlags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;
        var statuses = chain.ChainStatus.Where(s => (s.Status & ~timeFlags) != 0).ToArray();
        var flags = statuses.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | (s.Status & ~timeFlags));
        try
        {
            if (flags == X509ChainStatusFlags.NoError)
            {
                // The last element is the root the path ends at: one of the tester's trust anchors.
                var root = chain.ChainElements[^1].Certificate;
                return (true, chain.ChainElements.Select(e => e.Certificate.Thumbprint).ToHashSet(StringComparer.Ordinal),
                    ReportText.Cap(root.Subject, ReportText.Line));
            }
            const string unknownAuthority = "x509: certificate signed by unknown authority";
            var leafName = CommonNameOrSubject(leaf);
            var selfSigned = CertificateChecks.IsSelfSigned(leaf);
            if (selfSigned && chain.ChainElements.Count == 1)
            {
                report.Add(TlsFindings.SelfSigned,
                    $"The certificate{report.Where} is self-signed: nobody vouches for it.",
                    $"'{leafName}' is issued by itself ({leaf.Issuer}) and is not a trusted root.", unknownAuthority);
            }
            else if (flags.HasFlag(X509ChainStatusFlags.PartialChain) && !SentIssuerOf(leaf, sent))
            {
                report.Add(TlsFindings.IncompleteChain,
                    $"The server{report.Where} did not send the intermediate certificate that issued its certificate.",
                    $"The certificate for '{leafName}' was issued by '{leaf.IssuerName.Name}', which was neither sent by the server " +
                    $"({sent.Count} certificate(s) sent) nor is a trusted root. Peers do not fetch missing intermediates.",
                    unknownAuthority);
            }
            else if (flags.HasFlag(X509ChainStatusFlags.PartialChain) || flags.HasFlag(X509ChainStatusFlags.UntrustedRoot))
            {
                var top = chain.ChainElements[^1].Certificate;
                report.Add(TlsFindings.UnknownRoot,
                    $"The certificate{report.Where} comes from a certificate authority that federation peers do not trust.",
                    $"The chain ends at '{top.IssuerName.Name}', which is not among the trusted roots.", unknownAuthority);
            }
            else
            {
                var problems = string.Join("; ", statuses.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                report.Add(TlsFindings.InvalidChain,
                    $"The certificate chain{report.Where} does not verify.",
                    problems.Length > 0 ? $"Chain problems: {problems}." : "The chain from this certificate to a trusted root does not verify.", $"x509: {problems}");
            }
            return (false, [], null);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                // Elements are fresh copies owned by the chain; the caller's certificates are not among them.
                element.Certificate.Dispose();
            }
        }
    }

    /// <summary>
    /// Whether the server sent the certificate that issued the leaf. If not, and no anchor issued it, the server
    /// forgot its intermediate (the classic cert.pem-instead-of-fullchain.pem mistake): an incomplete chain rather
    /// than an unknown authority.
    /// </summary>
    private static bool SentIssuerOf(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent) =>
        sent.Skip(1).Any(c => c.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData));

    internal static string CommonNameOrSubject(X509Certificate2 certificate)
    {
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(cn) ? certificate.Subject : cn;
    }
}

/// <summary>Collects findings and Go-style error strings while the checks run.</summary>
internal sealed class InspectionReport(string? subject, string where)
{
    private readonly List<Finding> findings = [];
    private readonly List<string> errors = [];

    public string Where => where;
    public IReadOnlyList<Finding> Findings => findings;
    public IReadOnlyList<string> Errors => errors;

    /// <summary>Adds what <paramref name="other"/> collected, in order, after what is here.</summary>
    public void Append(InspectionReport other)
    {
        findings.AddRange(other.findings);
        errors.AddRange(other.errors.Where(e => !errors.Contains(e)));
    }

    public string? Subject => subject;

    public void Add(FindingDefinition definition, string summary, string detail, string? goError) =>
        Add(definition.Create(summary, detail, subject), goError);

    public void Add(FindingDefinition definition, Phrase summary, Phrase detail, string? goError) =>
        Add(definition.Create(summary, detail, subject), goError);

    private void Add(Finding finding, string? goError)
    {
        findings.Add(finding);
        if (goError is not null && !errors.Contains(goError))
        {
            errors.Add(goError);
        }
    }
}
