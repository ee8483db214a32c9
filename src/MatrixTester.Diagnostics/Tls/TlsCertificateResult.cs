using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// The verdict on one server's certificate chain.
/// <see cref="Certificates"/>: the chain as the server sent it, leaf first (the Go report's <c>Certificates</c>).
/// <see cref="ValidCertificates"/>: true when no error-level finding was raised (trusted chain, in its validity
/// period, name matches, no broken key or signature).
/// <see cref="Errors"/>: Go crypto/x509-style messages for the Go-compatible report's <c>Errors</c>; Go stops at the
/// first problem, so the first entry is what the Go tester would show and later entries are extra problems.
/// <see cref="Findings"/>: one finding per distinct problem, each with a fix.
/// </summary>
public sealed record TlsCertificateResult(
    string ExpectedName,
    IReadOnlyList<CertificateSummary> Certificates,
    bool Trusted,
    bool NameMatches,
    bool InValidityPeriod,
    IReadOnlyList<string> Errors,
    IReadOnlyList<Finding> Findings)
{
    public bool ValidCertificates => Findings.All(f => f.Severity != Severity.Error);

    /// <summary>The subject of the trusted root the chain leads to; null when it leads to none (or in reports from before it was kept).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TrustAnchor { get; init; }

    public bool Has(FindingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Findings.Any(f => f.Id == definition.Id);
    }
}
