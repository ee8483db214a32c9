using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Tls;
using Microsoft.Extensions.Options;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>Builds the engine from options alone, for hosts without dependency injection (the CLI, benchmarks).</summary>
public static class DiagnosisEngine
{
    /// <param name="identity">Our own Matrix identity for the two-way check; none (the CLI) reports it as not configured.</param>
    /// <param name="openId">Our own homeserver for the call token check's test users; none (the CLI) reports it as not configured.</param>
    public static IDiagnosisService Create(DiagnosisOptions options, TimeProvider time, TwoWay.IFederationIdentity? identity = null, RtcToken.IOpenIdIssuer? openId = null) =>
        new DiagnosisService(Options.Create(options), DnsClient.Create(options, time), TrustAnchors.FromOptions(options), time, identity, openId);
}
