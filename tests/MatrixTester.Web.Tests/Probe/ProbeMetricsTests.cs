using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Probe;
using MatrixTester.Web.Tests.History;

namespace MatrixTester.Web.Tests.Probe;

public sealed class ProbeMetricsTests
{
    [Fact]
    public void A_report_becomes_exactly_this_exposition_text()
    {
        var report = new ReportShape
        {
            Verdict = VerdictStatus.WorksWithWarnings,
            Addresses = ["192.0.2.10", "2001:db8::1"],
            Certificate = new Cert("AA11", "R11 \"test\" \\ CA", ReportShape.Expiry),
            Findings = [ReportShape.Finding("tls.expiring", Severity.Warning, "192.0.2.10:443"), ReportShape.Finding("x", Severity.Info, null)],
        }.Build();
        var expected = """
            # HELP matrixtester_probe_success 1 when the diagnosis finished, so the other series are complete; 0 when it was cut short (time limit, or a failure of the tester).
            # TYPE matrixtester_probe_success gauge
            matrixtester_probe_success 1
            # HELP matrixtester_probe_duration_seconds How long the diagnosis took.
            # TYPE matrixtester_probe_duration_seconds gauge
            matrixtester_probe_duration_seconds 1
            # HELP matrixtester_result_age_seconds Age of the stored result these series describe (results are reused for a short window).
            # TYPE matrixtester_result_age_seconds gauge
            matrixtester_result_age_seconds 12.5
            # HELP matrixtester_federation_ok 1 when other servers can federate with this one: every address passes every check (the reference tester's FederationOK).
            # TYPE matrixtester_federation_ok gauge
            matrixtester_federation_ok 1
            # HELP matrixtester_verdict The federation verdict: 1 for the current status, 0 for the others (incomplete: the test stopped before it could decide).
            # TYPE matrixtester_verdict gauge
            matrixtester_verdict{status="works"} 0
            matrixtester_verdict{status="works_with_warnings"} 1
            matrixtester_verdict{status="broken"} 0
            matrixtester_verdict{status="incomplete"} 0
            # HELP matrixtester_clients_verdict The clients verdict (client well-known, base_url, client API, support file; not part of federation): 1 for the current status, 0 for the others.
            # TYPE matrixtester_clients_verdict gauge
            matrixtester_clients_verdict{status="works"} 0
            matrixtester_clients_verdict{status="works_with_warnings"} 0
            matrixtester_clients_verdict{status="broken"} 0
            matrixtester_clients_verdict{status="unusable"} 0
            matrixtester_clients_verdict{status="not_published"} 0
            matrixtester_clients_verdict{status="incomplete"} 0
            matrixtester_clients_verdict{status="not_checked"} 1
            # HELP matrixtester_address_family_ok 1 when every address of the family passes every check; absent when the family has no address or was not checked.
            # TYPE matrixtester_address_family_ok gauge
            matrixtester_address_family_ok{family="ipv4"} 1
            matrixtester_address_family_ok{family="ipv6"} 1
            # HELP matrixtester_findings Findings of the diagnosis, by severity and by the verdict they count for (part).
            # TYPE matrixtester_findings gauge
            matrixtester_findings{severity="error",part="federation"} 0
            matrixtester_findings{severity="warning",part="federation"} 1
            matrixtester_findings{severity="info",part="federation"} 1
            matrixtester_findings{severity="error",part="clients"} 0
            matrixtester_findings{severity="warning",part="clients"} 0
            matrixtester_findings{severity="info",part="clients"} 0
            matrixtester_findings{severity="error",part="two_way"} 0
            matrixtester_findings{severity="warning",part="two_way"} 0
            matrixtester_findings{severity="info",part="two_way"} 0
            matrixtester_findings{severity="error",part="calls"} 0
            matrixtester_findings{severity="warning",part="calls"} 0
            matrixtester_findings{severity="info",part="calls"} 0
            matrixtester_findings{severity="error",part="login"} 0
            matrixtester_findings{severity="warning",part="login"} 0
            matrixtester_findings{severity="info",part="login"} 0
            matrixtester_findings{severity="error",part="test"} 0
            matrixtester_findings{severity="warning",part="test"} 0
            matrixtester_findings{severity="info",part="test"} 0
            # HELP matrixtester_address_ok 1 when this address passes every federation check.
            # TYPE matrixtester_address_ok gauge
            matrixtester_address_ok{address="192.0.2.10:443",family="ipv4"} 1
            matrixtester_address_ok{address="[2001:db8::1]:443",family="ipv6"} 1
            # HELP matrixtester_certificate_valid 1 when the certificate chain at this address is trusted, in its validity period and valid for the name.
            # TYPE matrixtester_certificate_valid gauge
            matrixtester_certificate_valid{address="192.0.2.10:443",tls_name="matrix.example.org"} 1
            matrixtester_certificate_valid{address="[2001:db8::1]:443",tls_name="matrix.example.org"} 1
            # HELP matrixtester_certificate_expiry_timestamp_seconds When the leaf certificate served at this address expires (NotAfter), in Unix seconds.
            # TYPE matrixtester_certificate_expiry_timestamp_seconds gauge
            matrixtester_certificate_expiry_timestamp_seconds{address="192.0.2.10:443",tls_name="matrix.example.org",issuer_cn="R11 \"test\" \\ CA"} 1803859200
            matrixtester_certificate_expiry_timestamp_seconds{address="[2001:db8::1]:443",tls_name="matrix.example.org",issuer_cn="R11 \"test\" \\ CA"} 1803859200
            # HELP matrixtester_address_phase_duration_seconds Duration of each step at one address: TCP connect, TLS handshake, the version request and the key request.
            # TYPE matrixtester_address_phase_duration_seconds gauge
            matrixtester_address_phase_duration_seconds{address="192.0.2.10:443",phase="connect"} 0
            matrixtester_address_phase_duration_seconds{address="192.0.2.10:443",phase="tls_handshake"} 0
            matrixtester_address_phase_duration_seconds{address="[2001:db8::1]:443",phase="connect"} 0
            matrixtester_address_phase_duration_seconds{address="[2001:db8::1]:443",phase="tls_handshake"} 0

            """.ReplaceLineEndings("\n");
        Assert.Equal(expected, ProbeMetrics.Write(report, TimeSpan.FromSeconds(12.5)));
    }
}
