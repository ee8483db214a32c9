using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>Certificates are judged on the path actually built to a trusted root, trusted-first.</summary>
public sealed class CertificatePathVerdictTests : LabTest
{
    private async Task<(LabServer Server, LabRun Run)> Diagnose(LabServer server)
    {
        await server.StartAsync();
        return (server, await Lab.DiagnoseAsync(server.ServerName));
    }

    [Fact]
    public async Task A_stale_fullchain_with_an_expired_cross_signed_root_is_a_warning()
    {
        var (server, run) = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.IssueWithExpiredCrossSignedRoot("matrix.example.test") });
        var endpoint = $"{server.HomeserverAddress}:443";

        var go = AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
        var finding = AssertFinding(run, "tls.cert.unneeded_in_chain", Severity.Warning, endpoint);
        Assert.Contains("MatrixTester Lab Root CA", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("expired", finding.Detail, StringComparison.Ordinal);
        AssertNo(run, "tls.cert.expired");
        var connection = Assert.Single(run.Report.Connections);
        Assert.Equal(3, connection.Tls!.Certificates.Certificates.Count); // reported as sent
        Assert.True(connection.Tls.Certificates.ValidCertificates);
        Assert.True(Checks(go, endpoint).GetProperty("ValidCertificates").GetBoolean());
        Assert.Equal(0, go.GetProperty("ConnectionReports").GetProperty(endpoint).GetProperty("Errors").GetArrayLength());
    }

    [Fact]
    public async Task An_expired_certificate_on_the_built_path_is_still_an_error()
    {
        var (server, run) = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.IssueExpired("matrix.example.test") });

        AssertVerdict(run, VerdictStatus.Broken, goFederationOk: false);
        AssertFinding(run, "tls.cert.expired", Severity.Error, $"{server.HomeserverAddress}:443");
        AssertNo(run, "tls.cert.unneeded_in_chain");
    }
}
