using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>The TLS session with one address: what was negotiated, the chain as sent, and its verdict.</summary>
public sealed record TlsReport(
    string Version,
    string CipherSuite,
    string? Sni,
    TimeSpan ConnectTime,
    TimeSpan HandshakeTime,
    TlsCertificateResult Certificates)
{
    /// <summary>When the TCP connect started, relative to the start of the diagnosis (for the timeline).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TimeSpan? StartedAt { get; init; }
}

/// <summary>
/// Everything checked on one resolved endpoint over one TCP+TLS connection: the TLS session, the federation
/// version and the server's signing keys. <see cref="ConnectionError"/> is set when the key response could not be
/// obtained as JSON (the Go-compatible report lists such addresses under <c>ConnectionErrors</c>).
/// </summary>
public sealed record ConnectionReport(
    ResolvedEndpoint Endpoint,
    TlsReport? Tls,
    VersionReport? Version,
    ServerKeyResult? Keys,
    IReadOnlyList<HttpExchange> Requests,
    string? ConnectionError,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>True when this address passes every federation check (no error finding).</summary>
    public bool Passed => Findings.All(f => f.Severity != Severity.Error);

    public string Describe() => Describe(english: true);

    /// <summary>The result in the reader's language (the live view).</summary>
    public string Words() => Describe(english: false);

    private string Describe(bool english) => Passed
        ? EngineText.In(english, Version?.Name is null ? "event.connection.passed" : "event.connection.passed_software",
            ("address", Endpoint.Key), ("software", $"{Version?.Name} {Version?.Version}".Trim()))
        : $"{Endpoint.Key}: {(english ? Findings.First(f => f.Severity == Severity.Error).Summary : Findings.First(f => f.Severity == Severity.Error).Words().Summary)}";
}
