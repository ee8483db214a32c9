using System.Net;
using System.Net.Sockets;
using System.Text;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Timing;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.Connections;

/// <summary>
/// Per-address checks against lab homeservers: a healthy delegated server passes cleanly; each broken variant gives
/// its specific finding (id and severity), not a generic error.
/// </summary>
public sealed class ConnectionScenarioTests : LabTest
{
    private async Task<LabRun> Diagnose(LabServer server, Action<DiagnosisOptions>? configure = null)
    {
        await server.StartAsync();
        return await Lab.DiagnoseAsync(server.ServerName, configure);
    }

    private static void AssertFinding(LabRun run, string id, Severity severity, bool federationOk)
    {
        Assert.True(run.Has(id), $"expected {id}; got {string.Join(", ", run.Findings.Select(f => f.Id))}");
        Assert.Equal(severity, run.Finding(id).Severity);
        Assert.Equal(federationOk, run.Report.Verdict.FederationOk);
    }

    [Fact]
    public async Task A_healthy_delegated_server_federates_with_a_clean_report()
    {
        var server = new LabServer(Lab);
        var run = await Diagnose(server);
        Assert.True(run.Report.Verdict.FederationOk, string.Join("\n", run.Findings.Select(f => $"{f.Id}: {f.Summary}")));
        Assert.Equal(VerdictStatus.Works, run.Report.Verdict.Status);
        Assert.DoesNotContain(run.Findings, f => f.Severity != Severity.Info);
        var connection = Assert.Single(run.Report.Connections);
        Assert.Equal("TLS 1.3", connection.Tls!.Version);
        Assert.True(connection.Tls.Certificates.ValidCertificates);
        Assert.Equal("Synapse", connection.Version!.Name);
        Assert.True(connection.Keys!.AllChecksOK);
        Assert.Equal(server.Key.PublicKeyBase64, connection.Keys.VerifyKeys["ed25519:a_lab"].KeyBase64);
        Assert.True(run.Report.Verdict.IPv4);
        Assert.Null(run.Report.Verdict.IPv6);
        Assert.Equal("https://matrix.example.test", run.Report.Client!.HomeserverBaseUrl);
        Assert.Contains("v1.12", run.Report.Client.ClientVersions);
        // Only the features turned on (true) are kept; the lab turns msc3881 off.
        Assert.Equal(["org.matrix.simplified_msc3575", "org.matrix.msc3916.stable"], run.Report.Client.UnstableFeatures);
        Assert.Equal("@admin:example.test", Assert.Single(run.Report.Client.SupportContacts).MatrixId);
    }

    [Fact]
    public async Task Both_federation_requests_share_one_TLS_connection_and_carry_the_discovered_Host_and_SNI()
    {
        var server = new LabServer(Lab);
        var run = await Diagnose(server);
        var requests = Assert.Single(run.Report.Connections).Requests;
        Assert.Equal(["https://matrix.example.test:443/_matrix/key/v2/server", "https://matrix.example.test:443/_matrix/federation/v1/version"], requests.Select(r => r.Url));
        Assert.All(requests, r => Assert.Equal("matrix.example.test:443", r.HostHeader));
        Assert.All(requests, r => Assert.Equal("matrix.example.test", r.Sni));
        Assert.True(requests[0].NewConnection);
        Assert.False(requests[1].NewConnection);
        Assert.Contains("matrix.example.test:443 /_matrix/key/v2/server", server.HomeserverHost!.RequestLog);
    }

    [Fact]
    public async Task An_expired_certificate_says_since_when()
    {
        var run = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.IssueExpired("matrix.example.test") });
        AssertFinding(run, "tls.cert.expired", Severity.Error, federationOk: false);
        Assert.False(run.Report.Connections[0].Tls!.Certificates.ValidCertificates);
    }

    [Fact]
    public async Task A_certificate_not_yet_valid_is_its_own_finding()
    {
        var run = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.IssueNotYetValid("matrix.example.test") });
        AssertFinding(run, "tls.cert.not_yet_valid", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task A_certificate_for_another_name_names_the_expected_and_presented_names()
    {
        var run = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.Issue("other.example.test") });
        AssertFinding(run, "tls.cert.name_mismatch", Severity.Error, federationOk: false);
        var finding = run.Finding("tls.cert.name_mismatch");
        Assert.Contains("matrix.example.test", finding.Summary + finding.Detail, StringComparison.Ordinal);
        Assert.Contains("other.example.test", finding.Summary + finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_for_the_SRV_target_only_does_not_match_the_server_name()
    {
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        var key = LabSigningKey.Create();
        Lab.Zone.A("example.test", web.ToString()).Srv("_matrix-fed._tcp.example.test", "hs.example.test", 8448).A("hs.example.test", hs.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("example.test"), _ => { });
        await Lab.HttpsAsync(hs, 8448, Lab.Pki.Issue("hs.example.test"), r => r.Homeserver("example.test", key));
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(DiscoveryStep.Srv, run.Report.Discovery!.Endpoints[0].Step);
        AssertFinding(run, "tls.cert.name_mismatch", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task A_self_signed_certificate_is_named_as_such()
    {
        var run = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.IssueSelfSigned("matrix.example.test") });
        AssertFinding(run, "tls.cert.self_signed", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_root_is_named_as_such()
    {
        var run = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.IssueByOtherRoot("matrix.example.test") });
        // The chain the lab serves is whole; only its root is one the engine does not trust.
        Assert.True(run.Has("tls.cert.unknown_root"), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.False(run.Has("tls.cert.incomplete_chain"), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.False(run.Report.Verdict.FederationOk);
    }

    [Fact]
    public async Task A_missing_intermediate_says_to_serve_the_full_chain()
    {
        var run = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.IssueWithoutIntermediate("matrix.example.test") });
        AssertFinding(run, "tls.cert.incomplete_chain", Severity.Error, federationOk: false);
        Assert.Contains("fullchain", run.Finding("tls.cert.incomplete_chain").Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_expiring_soon_is_a_warning_only()
    {
        var run = await Diagnose(new LabServer(Lab) { Certificate = pki => pki.IssueExpiringSoon("matrix.example.test") });
        AssertFinding(run, "tls.cert.expiring_soon", Severity.Warning, federationOk: true);
        Assert.Equal(VerdictStatus.WorksWithWarnings, run.Report.Verdict.Status);
    }

    [Fact]
    public async Task An_IP_literal_server_needs_an_IP_SAN_and_gets_no_SNI()
    {
        var ip = FederationLab.NewAddress();
        var key = LabSigningKey.Create();
        await Lab.HttpsAsync(ip, 8448, Lab.Pki.Issue("not-the-ip.example.test"), r => r.Homeserver(ip.ToString(), key));
        var run = await Lab.DiagnoseAsync(ip.ToString());
        AssertFinding(run, "tls.cert.ip_without_ip_san", Severity.Error, federationOk: false);
        Assert.All(run.Report.Connections[0].Requests, r => Assert.Null(r.Sni));
    }

    [Fact]
    public async Task An_IP_literal_server_with_an_IP_SAN_federates()
    {
        var ip = FederationLab.NewAddress();
        var key = LabSigningKey.Create();
        await Lab.HttpsAsync(ip, 8448, Lab.Pki.Issue(ip.ToString()), r => r.Homeserver(ip.ToString(), key));
        var run = await Lab.DiagnoseAsync(ip.ToString());
        Assert.True(run.Report.Verdict.FederationOk, string.Join("\n", run.Findings.Select(f => $"{f.Id}: {f.Summary}")));
        Assert.Equal(ip.ToString(), run.Report.Connections[0].Requests[0].HostHeader);
    }

    [Fact]
    public async Task Plain_HTTP_on_the_federation_port_is_explained_as_not_TLS()
    {
        var ip = FederationLab.NewAddress();
        Lab.Zone.A("plain.test", ip.ToString());
        Lab.Raw(ip, 8448, async (socket, ct) =>
        {
            var buffer = new byte[1024];
            await socket.ReceiveAsync(buffer, ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"), ct);
            socket.Shutdown(SocketShutdown.Both);
        });
        var run = await Lab.DiagnoseAsync("plain.test:8448");
        AssertFinding(run, "tls.not_tls", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task Nothing_listening_is_connection_refused()
    {
        Lab.Zone.A("closed.test", FederationLab.NewAddress().ToString());
        var run = await Lab.DiagnoseAsync("closed.test:8448");
        AssertFinding(run, "net.connection_refused", Severity.Error, federationOk: false);
        Assert.Contains("refused", Assert.Single(run.Report.Connections).ConnectionError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_never_finishes_the_handshake_times_out_within_the_bound()
    {
        // The server reads the ClientHello and never answers. The engine's clock is a fake and the connect timeout far
        // beyond the test's own: the handshake can only end because the clock passed the connect timeout.
        var ip = FederationLab.NewAddress();
        Lab.Zone.A("silent.test", ip.ToString());
        var hello = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Lab.Raw(ip, 8448, async (socket, ct) =>
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, ct);
            hello.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        var clock = LabClock.StoppedNow();
        var connect = TimeSpan.FromMinutes(5);
        var running = Lab.DiagnoseAsync("silent.test:8448", o => (o.ConnectTimeout, o.OverallDeadline) = (connect, TimeSpan.FromHours(1)), clock);
        await hello.Task.WaitAsync(TestContext.Current.CancellationToken);

        clock.Advance(connect);
        var run = await running.WaitAsync(TestContext.Current.CancellationToken);

        AssertFinding(run, "net.timeout", Severity.Error, federationOk: false);
        Assert.Contains("TLS handshake", run.Finding("net.timeout").Summary, StringComparison.Ordinal);
        Assert.False(run.Report.TimedOut, "the connect timeout, not the overall deadline, should have ended the handshake");
    }

    [Fact]
    public async Task A_version_endpoint_answered_by_the_proxy_with_html_404_is_explained()
    {
        var run = await Diagnose(new LabServer(Lab) { Homeserver = r => r.Json("/_matrix/federation/v1/version", "<html>Not Found</html>", 404, "text/html") });
        AssertFinding(run, "version.http_status", Severity.Error, federationOk: false);
        Assert.Contains("<html>Not Found", run.Finding("version.http_status").Detail, StringComparison.Ordinal);
        Assert.Contains("404", run.Report.Connections[0].Version!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_endpoint_returning_non_json_is_explained()
    {
        var run = await Diagnose(new LabServer(Lab) { Homeserver = r => r.Json("/_matrix/federation/v1/version", "OK", 200, "text/plain") });
        AssertFinding(run, "version.not_json", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task A_version_without_server_fields_is_a_warning()
    {
        var run = await Diagnose(new LabServer(Lab) { Homeserver = r => r.Json("/_matrix/federation/v1/version", "{}") });
        AssertFinding(run, "version.missing_server", Severity.Warning, federationOk: true);
    }

    [Fact]
    public async Task A_missing_key_endpoint_is_an_http_status_error_and_a_go_connection_error()
    {
        var run = await Diagnose(new LabServer(Lab) { Homeserver = r => r.Json("/_matrix/key/v2/server", "nope", 404, "text/plain") });
        AssertFinding(run, "keys.http_status", Severity.Error, federationOk: false);
        Assert.Equal("Non-200 response 404 from remote server", run.Report.Connections[0].ConnectionError);
    }

    [Fact]
    public async Task Keys_served_as_text_plain_are_flagged()
    {
        LabServer server = null!;
        server = new LabServer(Lab) { Homeserver = r => r.Json("/_matrix/key/v2/server", server.SignedKeys(DateTimeOffset.UtcNow.AddDays(1)), 200, "text/plain") };
        var run = await Diagnose(server);
        AssertFinding(run, "keys.content_type", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task Keys_for_the_delegated_host_hint_at_the_wrong_server_name()
    {
        var run = await Diagnose(new LabServer(Lab) { KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1), serverName: "matrix.example.test") });
        AssertFinding(run, "keys.server_name_mismatch", Severity.Error, federationOk: false);
        Assert.Contains("delegated", run.Finding("keys.server_name_mismatch").Detail + run.Finding("keys.server_name_mismatch").Fix, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Expired_keys_are_an_error()
    {
        var run = await Diagnose(new LabServer(Lab) { KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddHours(-1)) });
        AssertFinding(run, "keys.valid_until_past", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task Keys_expiring_within_the_hour_are_a_warning()
    {
        var run = await Diagnose(new LabServer(Lab) { KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddMinutes(20)) });
        AssertFinding(run, "keys.valid_until_soon", Severity.Warning, federationOk: true);
    }

    [Fact]
    public async Task A_tampered_signature_fails_verification()
    {
        var run = await Diagnose(new LabServer(Lab) { KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1), new KeyResponseOptions { TamperSignature = true }) });
        Assert.True(run.Has("keys.signature_invalid"));
        AssertFinding(run, "keys.no_valid_signature", Severity.Error, federationOk: false);
        Assert.False(run.Report.Connections[0].Keys!.Ed25519Checks["ed25519:a_lab"].MatchingSignature);
    }

    [Fact]
    public async Task Padded_base64_is_flagged()
    {
        var run = await Diagnose(new LabServer(Lab) { KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1), new KeyResponseOptions { PadBase64 = true }) });
        AssertFinding(run, "keys.padded_base64", Severity.Warning, federationOk: true);
    }

    [Fact]
    public async Task Duplicate_json_keys_in_a_signed_response_never_verify()
    {
        var run = await Diagnose(new LabServer(Lab) { KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1), new KeyResponseOptions { DuplicateServerName = true }) });
        AssertFinding(run, "keys.duplicate_keys", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task Old_verify_keys_are_listed()
    {
        var old = LabSigningKey.Create("ed25519:old");
        var run = await Diagnose(new LabServer(Lab)
        {
            KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1), new KeyResponseOptions { OldVerifyKeys = new Dictionary<string, OldKey> { ["ed25519:old"] = old.AsOldKey(DateTimeOffset.UtcNow.AddDays(-30)) } }),
        });
        AssertFinding(run, "keys.old_verify_keys", Severity.Info, federationOk: true);
        Assert.Contains("ed25519:old", run.Report.Connections[0].Keys!.OldVerifyKeys.Keys);
    }

    [Fact]
    public async Task Different_keys_on_two_addresses_are_a_mismatch()
    {
        var a = FederationLab.NewAddress();
        var b = FederationLab.NewAddress();
        Lab.Zone.A("twin.test", a.ToString()).A("twin.test", b.ToString());
        await Lab.HttpsAsync(a, 8448, Lab.Pki.Issue("twin.test"), r => r.Homeserver("twin.test:8448", LabSigningKey.Create("ed25519:one")));
        await Lab.HttpsAsync(b, 8448, Lab.Pki.Issue("twin.test"), r => r.Homeserver("twin.test:8448", LabSigningKey.Create("ed25519:two")));
        var run = await Lab.DiagnoseAsync("twin.test:8448");
        AssertFinding(run, "keys.mismatch_between_addresses", Severity.Error, federationOk: false);
        Assert.All(run.Report.Connections, c => Assert.True(c.Keys!.AllChecksOK));
    }

    [Fact]
    public async Task IPv4_working_while_IPv6_is_broken_gets_a_per_family_verdict()
    {
        var port = FederationLab.FreeIPv6Port();
        var v4 = FederationLab.NewAddress();
        Lab.Zone.A("dual.test", v4.ToString()).Aaaa("dual.test", "::1");
        await Lab.HttpsAsync(v4, port, Lab.Pki.Issue("dual.test"), r => r.Homeserver($"dual.test:{port}", LabSigningKey.Create()));
        var run = await Lab.DiagnoseAsync($"dual.test:{port}");
        Assert.True(run.Report.Verdict.IPv4);
        Assert.False(run.Report.Verdict.IPv6);
        Assert.False(run.Report.Verdict.FederationOk);
        Assert.Contains("IPv4 works, IPv6 is broken", run.Report.Verdict.Summary, StringComparison.Ordinal);
        Assert.True(run.Has("net.connection_refused"));
    }

    [Fact]
    public async Task Client_well_known_without_CORS_is_a_warning_that_does_not_change_federation()
    {
        var run = await Diagnose(new LabServer(Lab) { WebServer = r => r.ClientWellKnown("https://matrix.example.test", cors: false) });
        AssertFinding(run, "client.cors_missing", Severity.Warning, federationOk: true);
    }

    [Fact]
    public async Task Client_base_url_that_does_not_answer_is_an_error_outside_the_federation_verdict()
    {
        var run = await Diagnose(new LabServer(Lab) { WebServer = r => r.ClientWellKnown("https://nowhere.example.test") });
        AssertFinding(run, "client.base_url_unreachable", Severity.Error, federationOk: true);
        // Not even a warning of federation's: clients have their own verdict.
        Assert.Equal(VerdictStatus.Works, run.Report.Verdict.Status);
    }

    [Fact]
    public async Task Client_base_url_that_is_not_a_url_is_an_error()
    {
        var run = await Diagnose(new LabServer(Lab) { WebServer = r => r.ClientWellKnown("matrix.example.test") });
        AssertFinding(run, "client.base_url_invalid", Severity.Error, federationOk: true);
    }

    [Fact]
    public async Task Missing_client_and_support_files_are_informational()
    {
        var run = await Diagnose(new LabServer(Lab)
        {
            WebServer = r => r.Json("/.well-known/matrix/client", "", 404, "text/plain").Json("/.well-known/matrix/support", "", 404, "text/plain"),
        });
        AssertFinding(run, "client.not_found", Severity.Info, federationOk: true);
        AssertFinding(run, "support.not_found", Severity.Info, federationOk: true);
    }

    [Fact]
    public async Task A_support_contact_without_role_or_address_is_invalid()
    {
        var run = await Diagnose(new LabServer(Lab) { WebServer = r => r.Json("/.well-known/matrix/support", """{"contacts": [{"matrix_id": "admin"}]}""") });
        AssertFinding(run, "support.invalid", Severity.Info, federationOk: true);
        Assert.Contains("no role", run.Finding("support.invalid").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_20_MB_key_response_is_refused_quickly()
    {
        var big = new string('x', 20 * 1024 * 1024);
        var run = await Diagnose(new LabServer(Lab) { Homeserver = r => r.Json("/_matrix/key/v2/server", $$"""{"pad": "{{big}}"}""") });
        AssertFinding(run, "keys.too_large", Severity.Error, federationOk: false);
    }

    [Fact]
    public async Task Connection_events_stream_per_address_before_the_report()
    {
        var run = await Diagnose(new LabServer(Lab));
        var connectionIndex = run.Events.ToList().FindIndex(e => e is ConnectionEvent);
        Assert.True(connectionIndex > 0);
        Assert.True(connectionIndex < run.Events.Count - 1);
        Assert.Contains(run.Events, e => e is ClientDiscoveryEvent);
    }

    [Fact]
    public async Task Every_streamed_event_serializes_with_its_kind()
    {
        var run = await Diagnose(new LabServer(Lab));
        Assert.Contains(run.Events, e => e is ConnectionEvent);
        Assert.Contains(run.Events, e => e is ClientDiscoveryEvent);
        foreach (var e in run.Events)
        {
            using var document = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(e, ReportJson.Options));
            Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("kind").GetString()));
            Assert.True(document.RootElement.TryGetProperty("summary", out _));
        }
    }
}
