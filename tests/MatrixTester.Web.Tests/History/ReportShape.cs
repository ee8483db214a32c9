using System.Net;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Web.Tests.History;

/// <summary>A certificate as a diff sees it: fingerprint, issuer and expiry.</summary>
public sealed record Cert(string Fingerprint, string Issuer, DateTimeOffset NotAfter);

/// <summary>
/// The parts of a v2 report that <c>ReportDiff</c> compares, with the defaults of a healthy server; each test case
/// changes one or two of them. <see cref="Build"/> makes a real engine report model from it.
/// </summary>
public sealed record ReportShape
{
    public static readonly DateTimeOffset Expiry = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public VerdictStatus Verdict { get; init; } = VerdictStatus.Works;
    public string? MServer { get; init; } = "matrix.example.org:443";
    public IReadOnlyList<(string Target, ushort Port)>? Srv { get; init; }
    public IReadOnlyList<string> Addresses { get; init; } = ["192.0.2.10"];
    public int Port { get; init; } = 443;
    public Cert? Certificate { get; init; } = new("AA11", "R11", Expiry);
    public IReadOnlyList<string> KeyIds { get; init; } = ["ed25519:a_Xy9Q"];
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>With client files (a base_url, a support page); their findings come from <see cref="Findings"/>.</summary>
    public bool Client { get; init; }

    public bool TimedOut { get; init; }

    /// <summary>The calls verdict recorded (null: no calls record, as in reports from before the check).</summary>
    public Diagnostics.Client.MatrixRtcStatus? Calls { get; init; }

    /// <summary>The login verdict recorded (null: no login record).</summary>
    public Diagnostics.Client.AuthStatus? Login { get; init; }

    public static Finding Finding(string id, Severity severity, string? subject, string summary = "seen") =>
        new(id, severity, summary, "detail", "fix", $"{id}", subject);

    public DiagnosisReport Build()
    {
        var name = ServerName.Parse("example.org");
        var wellKnown = MServer is null
            ? new WellKnownResult(WellKnownOutcome.NotFound, null, null, TimeSpan.Zero, null, [], [])
            : new WellKnownResult(WellKnownOutcome.Delegated, MServer, ServerName.Parse(MServer), TimeSpan.FromHours(1), null, [], []);
        var host = wellKnown.Delegated?.Host ?? "example.org";
        SrvResult? srv = Srv is null ? null : new SrvResult(host, Answer(host), null, Srv.Count > 0 ? SrvSource.MatrixFed : SrvSource.None,
            [.. Srv.Select(s => new SrvTarget(new SrvRecord($"_matrix-fed._tcp.{host}", 300, 10, 0, s.Port, s.Target), null, null))], []);
        var step = MServer is null ? DiscoveryStep.DefaultPort : DiscoveryStep.WellKnownExplicitPort;
        var hostHeader = MServer ?? "example.org";
        var endpoints = Addresses.Select(a => new ResolvedEndpoint(IPAddress.Parse(a), Port, hostHeader, host, step)).ToArray();
        var connections = endpoints.Select(e => new ConnectionReport(e,
            Certificate is null ? null : new TlsReport("TLS 1.3", "TLS_AES_128_GCM_SHA256", host, TimeSpan.Zero, TimeSpan.Zero,
                new TlsCertificateResult(host, [Summary(Certificate)], true, true, true, [], [])),
            null,
            new ServerKeyResult { VerifyKeys = KeyIds.ToDictionary(k => k, k => new VerifyKey(k, "ed25519", "a", true, 32, false, true, null)) },
            [], null, [])).ToArray();
        return new DiagnosisReport
        {
            Input = "example.org",
            ServerName = "example.org",
            StartedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromSeconds(1),
            Discovery = new DiscoveryResult(name, wellKnown, srv, [], endpoints, []),
            Connections = connections,
            Client = Client ? new ClientDiscoveryReport("https://matrix.example.org", null, ["v1.11"], [], "https://example.org/help", [],
                [.. Findings.Where(f => f.PartOf() == ReportPart.Clients)]) : null,
            TimedOut = TimedOut,
            MatrixRtc = Calls is { } calls ? new MatrixRtcReport(calls, [], [], [], null) { Summary = $"Calls: {calls}" } : null,
            Auth = Login is { } login ? new Diagnostics.Client.AuthReport(login, null, []) { Summary = $"Login: {login}" } : null,
            Findings = Findings,
            Verdict = new Verdict(Verdict, Verdict != VerdictStatus.Broken, true, null, $"{Verdict} summary."),
        };
    }

    private static DnsAnswer Answer(string host) =>
        new($"_matrix-fed._tcp.{host}", DnsRecordType.SRV, DnsOutcome.NoError, 0, [], [], null, TimeSpan.Zero, null);

    private static CertificateSummary Summary(Cert c) => new(
        "CN=matrix.example.org", "matrix.example.org", $"CN={c.Issuer}", c.Issuer, ["matrix.example.org"], [],
        c.NotAfter.AddDays(-90), c.NotAfter, c.Fingerprint, c.Fingerprint + "0123456789ABCDEF0123", "ECDSA", 256, "sha256ECDSA", "01", false);
}
