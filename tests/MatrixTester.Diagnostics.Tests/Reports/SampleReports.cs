using System.Net;
using System.Text;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics.Tests.ReportFormats;

/// <summary>
/// The reference tester's documented sample A (a well-known delegation, one good IPv4 address, IPv6 unreachable) rebuilt as our own report: example.org delegates via well-known to
/// matrix.example.org:443; the IPv4 address passes every check, the IPv6 address timed out.
/// </summary>
internal static class SampleReports
{
    public const string KeysBody = """{"old_verify_keys":{},"server_name":"example.org","signatures":{"example.org":{"ed25519:a_Xy9Q":"TfFKD+4TNrZoCZ6Q3eQaGzPWrkd7aV/8DRI7B3c/Qis1sho/DoZg2qB+Nyqm6Vd+2VA01vMpyr8Zfpptt5Y7BQ"}},"valid_until_ts":1749384000000,"verify_keys":{"ed25519:a_Xy9Q":{"key":"jUIY7YTTHkeI4Hi9dFIWknXkBDdudO9OMPpGstPEiGE"}}}""";

    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1748779200); // 2025-06-01 12:00 UTC

    public static DiagnosisReport SampleA()
    {
        var name = ServerName.Parse("example.org");
        var v6 = IPAddress.Parse("2001:db8::10");
        var v4 = IPAddress.Parse("192.0.2.10");
        var wellKnownRequest = new HttpExchange
        {
            Url = "https://example.org/.well-known/matrix/server",
            Address = IPAddress.Parse("192.0.2.1"),
            Port = 443,
            HostHeader = "example.org",
            Sni = "example.org",
            Status = 200,
            Headers = new Dictionary<string, string> { ["content-type"] = "application/json", ["cache-control"] = "max-age=86400" },
            Body = Encoding.UTF8.GetBytes("""{"m.server": "matrix.example.org:443"}"""),
            BodyLength = 38,
            BodyStart = """{"m.server": "matrix.example.org:443"}""",
        };
        var wellKnown = new WellKnownResult(WellKnownOutcome.Delegated, "matrix.example.org:443", ServerName.Parse("matrix.example.org:443"),
            TimeSpan.FromHours(24), DateTimeOffset.FromUnixTimeSeconds(1748865600),
            [new WellKnownAttempt(IPAddress.Parse("192.0.2.1"), WellKnownOutcome.Delegated, "matrix.example.org:443", [wellKnownRequest], null)], []);
        DnsAnswer Answer(DnsRecordType type, IPAddress address) =>
            new("matrix.example.org", type, DnsOutcome.NoError, 0, [new AddressRecord("matrix.example.org", 300, address)], [], "192.0.2.53:53", TimeSpan.FromMilliseconds(12), null);
        var endpoints = new[]
        {
            new ResolvedEndpoint(v6, 443, "matrix.example.org:443", "matrix.example.org", DiscoveryStep.WellKnownExplicitPort),
            new ResolvedEndpoint(v4, 443, "matrix.example.org:443", "matrix.example.org", DiscoveryStep.WellKnownExplicitPort),
        };
        var discovery = new DiscoveryResult(name, wellKnown, null, [Answer(DnsRecordType.AAAA, v6), Answer(DnsRecordType.A, v4)], endpoints, []);

        var certificates = new TlsCertificateResult("matrix.example.org",
        [
            Summary("matrix.example.org", "R11", "Wv/kOm0er6kPVkXa6cZUKnBHiOPVAdbMAsZKfo3fX4U", ["matrix.example.org"]),
            Summary("R11", "ISRG Root X1", "rqCpZBeI+L9RNMYjbNxI1jO9926NPLixDeCVh++Bdtg", []),
        ], true, true, true, [], []);
        var keys = ServerKeyChecker.Check(200, "application/json", Encoding.UTF8.GetBytes(KeysBody), "example.org", Now, "192.0.2.10:443");
        var good = new ConnectionReport(endpoints[1],
            new TlsReport("TLS 1.3", "TLS_AES_128_GCM_SHA256", "matrix.example.org", TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(25), certificates),
            new VersionReport("Synapse", "1.131.0", null), keys, [], null, keys.Findings);
        const string timeout = "Get \"https://[2001:db8::10]:443/_matrix/key/v2/server\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
        var bad = new ConnectionReport(endpoints[0], null, new VersionReport(null, null, timeout), null, [], timeout,
            [ConnectionFindings.Timeout.Create("[2001:db8::10]:443 did not answer", timeout, "[2001:db8::10]:443")]);
        var connections = new[] { bad, good };
        var findings = connections.SelectMany(c => c.Findings).ToArray();
        return new DiagnosisReport
        {
            Input = "example.org",
            ServerName = "example.org",
            StartedAt = Now,
            Duration = TimeSpan.FromMilliseconds(3210),
            Discovery = discovery,
            Connections = connections,
            TwoWay = TwoWaySample,
            MatrixRtc = CallsSample with { TokenCheck = TokenCheckSample },
            Auth = LoginSample,
            Findings = findings,
            Verdict = VerdictRules.Decide(discovery, connections, findings, timedOut: false),
        };
    }

    /// <summary>A call token check that worked: the service called back once and the SFU accepted its token.</summary>
    public static Diagnostics.RtcToken.TokenCheckReport TokenCheckSample { get; } = new(Diagnostics.RtcToken.TokenCheckStatus.Works, true, "wss://sfu.example.org")
    {
        Summary = "Your call authorization service verified our test user with our server and gave it a token your SFU accepts (wss://sfu.example.org)",
        Services =
        [
            new("https://rtc.example.org/livekit/jwt", "/get_token", 200, "Works")
            {
                UserId = "@matrixtester-0123456789ab:tester.example",
                Callbacks = [new(0, "192.0.2.7", "IPv4", "Go-http-client/1.1", 84)],
                SfuUrl = "wss://sfu.example.org",
                Token = new("HS256", "APIexample", "nAc9JqKCnYK6k2UlbtJ3zsfbqzR/d3YCVQNvmwUSrsc", "9kTNGPRcU3DJGvyQqcnJBzb5Yx6q9WcyhN7b8P7t6bc", true,
                    DateTimeOffset.Parse("2026-01-01T13:00:00Z", System.Globalization.CultureInfo.InvariantCulture), true),
                SfuValidation = new("https://sfu.example.org/rtc/validate", 200, "success", null),
            },
        ],
    };

    /// <summary>
    /// A two-way result that worked: one fetch of our keys from the target's address over IPv4, the control request
    /// refused, then the notary answer; two fetches from elsewhere, only counted.
    /// </summary>
    public static Diagnostics.TwoWay.TwoWayReport TwoWaySample { get; } = new(Diagnostics.TwoWay.TwoWayStatus.Works, "ed25519:pSample1",
        [new Diagnostics.TwoWay.InboundKeyRequest("192.0.2.10", "IPv4", "tester.example", "tester.example:8448", "Synapse/1.131.0", "/_matrix/key/v2/server", 420)],
        new Diagnostics.TwoWay.NotaryReport("https://example.org:443/_matrix/key/v2/query", "POST", 200, null, "Verified", true, true, "The answer holds our probe key ed25519:pSample1, signed by us and by example.org."),
        new Diagnostics.TwoWay.SignedRequestReport("https://example.org:443/_matrix/federation/v1/query/directory?room_alias=%23matrixtester-1%3Aexample.org", 404, "M_NOT_FOUND")
        {
            SignedUri = "/_matrix/federation/v1/query/directory?room_alias=%23matrixtester-1%3Aexample.org",
        })
    {
        Summary = "example.org fetched our key, accepted our signed request and refused a wrong signature",
        ControlRequest = new Diagnostics.TwoWay.ControlRequestReport("https://example.org:443/_matrix/federation/v1/query/directory?room_alias=%23matrixtester-2%3Aexample.org",
            401, "M_UNAUTHORIZED", "Rejected"),
        UnattributedFetches = 2,
    };

    /// <summary>
    /// Calls as a Synapse with msc4143_enabled publishes them: the transports endpoint needs a token, the client
    /// well-known lists the authorization service for older clients, and the service answers every probe.
    /// </summary>
    public static MatrixRtcReport CallsSample { get; } = new(Diagnostics.Client.MatrixRtcStatus.Ready,
        [new Diagnostics.Client.RtcTransport("livekit", "https://rtc.example.org/livekit/jwt", null, Diagnostics.Client.RtcTransportSource.WellKnown)],
        [
            new Diagnostics.Client.TransportsEndpointProbe("https://matrix.example.org/_matrix/client/unstable/org.matrix.msc4143/rtc/transports", 401, "M_MISSING_TOKEN",
                Diagnostics.Client.TransportsEndpointOutcome.NeedsToken, "It answered 401 M_MISSING_TOKEN: the endpoint exists and lists transports to signed-in users."),
            new Diagnostics.Client.TransportsEndpointProbe("https://matrix.example.org/_matrix/client/v1/rtc/transports", 404, "M_UNRECOGNIZED",
                Diagnostics.Client.TransportsEndpointOutcome.Off, "It answered 404 M_UNRECOGNIZED: the endpoint is not enabled."),
        ],
        [new Diagnostics.Client.RtcServiceCheck("https://rtc.example.org/livekit/jwt", true, 200, null, 405, 405, Diagnostics.Client.TokenRoutes.Present, 200, "*", Diagnostics.Client.CorsOutcome.Ok, null)],
        new Diagnostics.Client.RtcPrerequisites(true, false, false, Diagnostics.Client.UserinfoOutcome.Routed)
        {
            UserinfoUrl = "https://example.org:443/_matrix/federation/v1/openid/userinfo",
            UserinfoStatus = 401,
            UserinfoErrcode = "M_MISSING_TOKEN",
        })
    {
        Summary = "Calls are ready: the transports endpoint exists (it lists transports to signed-in users only); the authorization service at https://rtc.example.org/livekit/jwt answers",
    };

    /// <summary>Next-generation login through MAS at auth.example.org, every check passed.</summary>
    public static Diagnostics.Client.AuthReport LoginSample { get; } = new(Diagnostics.Client.AuthStatus.Oidc, "https://auth.example.org/",
        [
            new Diagnostics.Client.AuthCheck(Diagnostics.Client.AuthCheckKind.ServerMetadata, "https://matrix.example.org/_matrix/client/v1/auth_metadata", true, "It names the issuer https://auth.example.org/."),
            new Diagnostics.Client.AuthCheck(Diagnostics.Client.AuthCheckKind.IssuerMatch, "https://auth.example.org/.well-known/openid-configuration", true, "It names the same issuer, https://auth.example.org/."),
            new Diagnostics.Client.AuthCheck(Diagnostics.Client.AuthCheckKind.KeySet, "https://auth.example.org/oauth2/keys.json", true, "It answered a key set with 2 keys."),
        ])
    {
        MetadataUrl = "https://matrix.example.org/_matrix/client/v1/auth_metadata",
        AuthorizationEndpoint = "https://auth.example.org/authorize",
        TokenEndpoint = "https://auth.example.org/oauth2/token",
        JwksUri = "https://auth.example.org/oauth2/keys.json",
        Summary = "Login uses OAuth 2.0 (next-generation auth) with the issuer https://auth.example.org/",
    };

    private static CertificateSummary Summary(string subject, string issuer, string fingerprint, string[] dnsNames) =>
        new($"CN={subject}", subject, $"CN={issuer}", issuer, dnsNames, [], Now.AddDays(-30), Now.AddDays(60), fingerprint,
            Convert.ToHexString(Convert.FromBase64String(fingerprint + "=")), "ECDSA", 256, "sha256ECDSA", "01", false);
}
