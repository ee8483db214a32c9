using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>Everything checked on one resolved endpoint: its TLS session and the federation requests made over it.</summary>
public sealed record ConnectionReport(
    ResolvedEndpoint Endpoint,
    IReadOnlyList<HttpExchange> Requests,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>True when this address passes every federation check (no error finding).</summary>
    public bool Passed => Findings.All(f => f.Severity != Severity.Error);

    public string Describe() => Passed
        ? $"{Endpoint.Key}: all federation checks passed"
        : $"{Endpoint.Key}: {Findings.First(f => f.Severity == Severity.Error).Summary}";
}
