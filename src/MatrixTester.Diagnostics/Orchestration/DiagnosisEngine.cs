using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Tls;
using Microsoft.Extensions.Options;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>Builds the engine from options alone, for hosts without dependency injection (the CLI, benchmarks).</summary>
public static class DiagnosisEngine
{
    public static IDiagnosisService Create(DiagnosisOptions options, TimeProvider time) =>
        new DiagnosisService(Options.Create(options), DnsClient.Create(options, time), TrustAnchors.FromOptions(options), time);
}
