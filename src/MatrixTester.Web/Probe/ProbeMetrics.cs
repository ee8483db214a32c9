using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.Probe;

/// <summary>
/// A finished report as the metrics of one <c>/probe</c> scrape, blackbox-exporter style: the target is the server
/// name, every series describes this one diagnosis, and per-address series carry an <c>address</c> label
/// ("ip:port", IPv6 in brackets) like the report.
/// </summary>
public static class ProbeMetrics
{
    private const string KeysPath = "/_matrix/key/v2/server";
    private const string VersionPath = "/_matrix/federation/v1/version";

    /// <param name="age">How long ago the result was stored (a reused result within the reuse window is older than 0).</param>
    public static string Write(DiagnosisReport report, TimeSpan age)
    {
        ArgumentNullException.ThrowIfNull(report);
        var connections = report.Connections;
        var reading = ReportReading.Of(report);
        return new PrometheusText()
            .Gauge("matrixtester_probe_success", "1 when the diagnosis finished, so the other series are complete; 0 when it was cut short (time limit, or a failure of the tester).",
                reading.Run == RunOutcome.Complete ? 1 : 0)
            .Gauge("matrixtester_probe_duration_seconds", "How long the diagnosis took.", Seconds(report.Duration))
            .Gauge("matrixtester_result_age_seconds", "Age of the stored result these series describe (results are reused for a short window).", Math.Round(Math.Max(0, age.TotalSeconds), 3))
            .Gauge("matrixtester_federation_ok", "1 when other servers can federate with this one: every address passes every check (the reference tester's FederationOK).", report.Verdict.FederationOk ? 1 : 0)
            .Gauge("matrixtester_verdict", "The federation verdict: 1 for the current status, 0 for the others (incomplete: the test stopped before it could decide).",
                FederationStatuses.Select(s => new Sample(reading.Federation.State == s ? 1 : 0, ("status", FederationStates.Token(s)))))
            .Gauge("matrixtester_clients_verdict", "The clients verdict (client well-known, base_url, client API, support file; not part of federation): 1 for the current status, 0 for the others.",
                Enum.GetValues<ClientsState>().Select(s => new Sample(reading.Clients.State == s ? 1 : 0, ("status", Token(s)))))
            .Gauge("matrixtester_calls_verdict", "The calls (MatrixRTC) verdict (not part of federation): 1 for the current status, 0 for the others; absent when calls were not checked.",
                reading.Calls is { } calls ? Enum.GetValues<MatrixRtcStatus>().Select(s => new Sample(calls.State == s ? 1 : 0, ("status", Token(s)))) : [])
            .Gauge("matrixtester_login_verdict", "The login verdict (not part of federation): 1 for the current status, 0 for the others; absent when login was not checked.",
                reading.Login is { } login ? Enum.GetValues<AuthStatus>().Select(s => new Sample(login.State == s ? 1 : 0, ("status", Token(s)))) : [])
            .Gauge("matrixtester_address_family_ok", "1 when every address of the family passes every check; absent when the family has no address or was not checked.",
                Families(reading.Federation))
            .Gauge("matrixtester_findings", "Findings of the diagnosis, by severity and by the verdict they count for (part).",
                Enum.GetValues<ReportPart>().SelectMany(part => new[] { Severity.Error, Severity.Warning, Severity.Info }.Select(s =>
                    new Sample(report.Findings.Count(f => f.Severity == s && f.PartOf() == part), ("severity", s.ToString().ToLowerInvariant()), ("part", Token(part))))))
            .Gauge("matrixtester_address_ok", "1 when this address passes every federation check.",
                connections.Select(c => new Sample(c.Passed ? 1 : 0, ("address", c.Endpoint.Key), ("family", c.Endpoint.IsIPv6 ? "ipv6" : "ipv4"))))
            .Gauge("matrixtester_certificate_valid", "1 when the certificate chain at this address is trusted, in its validity period and valid for the name.",
                connections.Where(c => c.Tls is not null).Select(c => new Sample(c.Tls!.Certificates.ValidCertificates ? 1 : 0, ("address", c.Endpoint.Key), ("tls_name", c.Tls.Certificates.ExpectedName))))
            .Gauge("matrixtester_certificate_expiry_timestamp_seconds", "When the leaf certificate served at this address expires (NotAfter), in Unix seconds.",
                connections.Where(c => c.Tls?.Certificates.Certificates.Count > 0).Select(c =>
                {
                    var leaf = c.Tls!.Certificates.Certificates[0];
                    return new Sample(leaf.NotAfter.ToUnixTimeSeconds(), ("address", c.Endpoint.Key), ("tls_name", c.Tls.Certificates.ExpectedName), ("issuer_cn", leaf.IssuerCommonName));
                }))
            .Gauge("matrixtester_key_valid_until_timestamp_seconds", "The valid_until_ts of the signing keys served at this address, in Unix seconds.",
                connections.Where(c => c.Keys?.ValidUntil is not null).Select(c => new Sample(c.Keys!.ValidUntil!.Value.ToUnixTimeMilliseconds() / 1000.0, ("address", c.Endpoint.Key))))
            .Gauge("matrixtester_phase_duration_seconds", "Duration of each discovery phase: the .well-known fetch (all hops and addresses), the SRV lookups, the address lookups, and checking every address.",
                Phases(report))
            .Gauge("matrixtester_address_phase_duration_seconds", "Duration of each step at one address: TCP connect, TLS handshake, the version request and the key request.",
                connections.SelectMany(AddressPhases))
            .ToString();
    }

    private static IEnumerable<Sample> Families(FederationVerdict federation)
    {
        foreach (var (state, family) in new[] { (federation.IPv4, "ipv4"), (federation.IPv6, "ipv6") })
        {
            if (state is FamilyState.Works or FamilyState.Broken)
            {
                yield return new Sample(state == FamilyState.Works ? 1 : 0, ("family", family));
            }
        }
    }

    private static IEnumerable<Sample> Phases(DiagnosisReport report)
    {
        if (report.Discovery is not { } discovery)
        {
            yield break;
        }
        if (Span(discovery.WellKnown.Attempts.SelectMany(a => a.Requests)) is { } wellKnown)
        {
            yield return new Sample(Seconds(wellKnown), ("phase", "well_known"));
        }
        if (discovery.Srv is { } srv)
        {
            // Both SRV names are asked at once, so the phase lasts as long as the slower answer.
            var elapsed = srv.Deprecated is { } old && old.Elapsed > srv.MatrixFed.Elapsed ? old.Elapsed : srv.MatrixFed.Elapsed;
            yield return new Sample(Seconds(elapsed), ("phase", "srv_lookup"));
        }
        if (discovery.AddressLookups.Count > 0)
        {
            yield return new Sample(Seconds(discovery.AddressLookups.Max(a => a.Elapsed)), ("phase", "address_lookup"));
        }
        if (Span(report.Connections.SelectMany(c => c.Requests)) is { } connections)
        {
            yield return new Sample(Seconds(connections), ("phase", "connections"));
        }
    }

    private static IEnumerable<Sample> AddressPhases(ConnectionReport connection)
    {
        var address = connection.Endpoint.Key;
        if (connection.Tls is { } tls)
        {
            yield return new Sample(Seconds(tls.ConnectTime), ("address", address), ("phase", "connect"));
            yield return new Sample(Seconds(tls.HandshakeTime), ("address", address), ("phase", "tls_handshake"));
        }
        foreach (var (path, phase) in new[] { (VersionPath, "version"), (KeysPath, "keys") })
        {
            if (connection.Requests.FirstOrDefault(r => r.Url.EndsWith(path, StringComparison.Ordinal)) is { } request)
            {
                yield return new Sample(Seconds(request.Duration), ("address", address), ("phase", phase));
            }
        }
    }

    /// <summary>From the start of the first request to the end of the last one.</summary>
    private static TimeSpan? Span(IEnumerable<HttpExchange> requests)
    {
        var list = requests.ToList();
        return list.Count == 0 ? null : list.Max(r => r.StartedAt + r.Duration) - list.Min(r => r.StartedAt);
    }

    private static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 4);

    /// <summary>What a probe can report: an input that is not a server name gets 400 instead, so never "not checked".</summary>
    private static readonly FederationState[] FederationStatuses =
        [FederationState.Works, FederationState.WorksWithWarnings, FederationState.Broken, FederationState.Incomplete];

    private static string Token(ClientsState state) => state switch
    {
        ClientsState.Works => "works",
        ClientsState.WorksWithWarnings => "works_with_warnings",
        ClientsState.Broken => "broken",
        ClientsState.Unusable => "unusable",
        ClientsState.NotPublished => "not_published",
        ClientsState.Incomplete => "incomplete",
        _ => "not_checked",
    };

    private static string Token(ReportPart part) => part switch
    {
        ReportPart.Federation => "federation",
        ReportPart.Clients => "clients",
        ReportPart.TwoWay => "two_way",
        ReportPart.Calls => "calls",
        ReportPart.Login => "login",
        _ => "test",
    };

    private static string Token(MatrixRtcStatus state) => state switch
    {
        MatrixRtcStatus.Ready => "ready",
        MatrixRtcStatus.Partial => "partial",
        MatrixRtcStatus.Broken => "broken",
        _ => "not_offered",
    };

    private static string Token(AuthStatus state) => state switch
    {
        AuthStatus.Oidc => "oidc",
        AuthStatus.Broken => "broken",
        _ => "classic",
    };
}
