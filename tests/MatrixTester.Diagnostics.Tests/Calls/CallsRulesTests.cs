using System.Net;
using System.Text;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Tests.Calls;

/// <summary>The rules that read single answers: transports endpoint, userinfo route, CORS, SFU URLs, versions and login documents.</summary>
public sealed class CallsRulesTests
{
    private static HttpExchange Answer(int status, string body = "", params (string Name, string Value)[] headers) => new()
    {
        Url = "https://matrix.example.test/x",
        Address = IPAddress.Loopback,
        Port = 443,
        HostHeader = "matrix.example.test",
        Status = status,
        Body = Encoding.UTF8.GetBytes(body),
        Headers = headers.ToDictionary(h => h.Name, h => h.Value),
    };

    [Theory]
    [InlineData(401, """{"errcode": "M_MISSING_TOKEN"}""", TransportsEndpointOutcome.NeedsToken)]
    [InlineData(401, """{"errcode": "M_UNKNOWN_TOKEN"}""", TransportsEndpointOutcome.NeedsToken)]
    [InlineData(401, "<html>Authorization Required</html>", TransportsEndpointOutcome.Failed)]
    [InlineData(404, """{"errcode": "M_UNRECOGNIZED"}""", TransportsEndpointOutcome.Off)]
    [InlineData(404, "<html>Not Found</html>", TransportsEndpointOutcome.Off)]
    [InlineData(400, """{"errcode": "M_UNRECOGNIZED"}""", TransportsEndpointOutcome.Off)]
    [InlineData(400, """{"errcode": "M_BAD_JSON"}""", TransportsEndpointOutcome.Failed)]
    [InlineData(200, """{"rtc_transports": [{"type": "livekit", "livekit_service_url": "https://rtc.example.test"}]}""", TransportsEndpointOutcome.Listed)]
    [InlineData(200, "{}", TransportsEndpointOutcome.Listed)]
    [InlineData(200, """{"rtc_transports": "x"}""", TransportsEndpointOutcome.Failed)]
    [InlineData(502, "Bad Gateway", TransportsEndpointOutcome.Failed)]
    public void An_unauthenticated_transports_answer_is_read_as_the_spec_and_Synapse_mean_it(int status, string body, TransportsEndpointOutcome expected) =>
        Assert.Equal(expected, TransportsEndpoint.Classify(Answer(status, body)).Probe.Outcome);

    [Fact]
    public void A_transport_failure_is_a_failed_probe_with_its_error()
    {
        var (probe, transports) = TransportsEndpoint.Classify(Answer(0) with { Status = null, Failure = ExchangeFailure.ConnectRefused, Error = "refused" });
        Assert.Equal((TransportsEndpointOutcome.Failed, "refused"), (probe.Outcome, probe.Detail));
        Assert.Empty(transports);
    }

    [Fact]
    public void Every_transport_shape_in_use_is_read_and_the_list_is_capped()
    {
        var many = string.Join(", ", Enumerable.Repeat("""{"type": "livekit", "livekit_service_url": "https://a.test"}""", 50));
        var body = $$"""{"rtc_transports": [{"type": "livekit_multi_sfu", "livekit_service_url": "https://m.test"}, {"type": "m.livekit", "url": "wss://sfu.test"}, 7, {"no": "type"}, {{many}}]}""";
        var transports = RtcDocuments.ParseTransportsAnswer(Encoding.UTF8.GetBytes(body))!;
        Assert.Equal(RtcDocuments.MaxTransports, transports.Count);
        Assert.Equal(new RtcTransport("livekit_multi_sfu", "https://m.test", null, RtcTransportSource.TransportsEndpoint), transports[0]);
        Assert.Equal(new RtcTransport("m.livekit", null, "wss://sfu.test", RtcTransportSource.TransportsEndpoint), transports[1]);
    }

    [Fact]
    public void A_huge_service_URL_enters_the_report_capped()
    {
        var url = "https://rtc.example.test/" + new string('<', 20_000);
        var transports = RtcDocuments.ParseTransportsAnswer(Encoding.UTF8.GetBytes($$"""{"rtc_transports": [{"type": "livekit", "livekit_service_url": "{{url}}"}]}"""))!;
        Assert.True(Encoding.UTF8.GetByteCount(transports[0].ServiceUrl!) < ReportText.Url + 40);
        Assert.EndsWith("bytes more)", transports[0].ServiceUrl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, """{"errcode": "M_MISSING_TOKEN"}""", UserinfoOutcome.Routed)]
    [InlineData(401, """{"errcode": "M_UNKNOWN_TOKEN"}""", UserinfoOutcome.Routed)]
    [InlineData(400, """{"errcode": "M_MISSING_PARAM"}""", UserinfoOutcome.Routed)]
    [InlineData(404, """{"errcode": "M_UNRECOGNIZED"}""", UserinfoOutcome.NotRouted)]
    [InlineData(400, """{"errcode": "M_UNRECOGNIZED"}""", UserinfoOutcome.NotRouted)]
    [InlineData(404, "<html>404</html>", UserinfoOutcome.NotRouted)]
    [InlineData(405, "", UserinfoOutcome.NotRouted)]
    [InlineData(200, "<html>welcome</html>", UserinfoOutcome.Unknown)]
    [InlineData(400, "bad request", UserinfoOutcome.Unknown)]
    public void The_userinfo_route_is_told_apart_from_a_proxy_answer(int status, string body, UserinfoOutcome expected) =>
        Assert.Equal(expected, OpenIdUserinfo.Classify(Answer(status, body)).Outcome);

    [Theory]
    [InlineData(null, CorsOutcome.Missing)]
    [InlineData("", CorsOutcome.Missing)]
    [InlineData("*", CorsOutcome.Ok)]
    [InlineData(" * ", CorsOutcome.Ok)]
    [InlineData("*, *", CorsOutcome.Duplicated)]
    [InlineData("*, https://app.element.io", CorsOutcome.Duplicated)]
    [InlineData("https://app.element.io", CorsOutcome.SingleOrigin)]
    public void Access_control_allow_origin_is_read_once_and_exactly(string? value, CorsOutcome expected) =>
        Assert.Equal(expected, Cors.Read(value is null ? Answer(200) : Answer(200, "", ("access-control-allow-origin", value))));

    [Fact]
    public void A_failed_request_has_no_CORS_to_judge() =>
        Assert.Equal(CorsOutcome.NotChecked, Cors.Read(Answer(200) with { Status = null, Failure = ExchangeFailure.Timeout }));

    [Theory]
    [InlineData("wss://sfu.example.org", null)]
    [InlineData("wss://sfu.example.org:7880/", null)]
    [InlineData("ws://localhost:7880", "localhost")]
    [InlineData("wss://livekit.localhost", "livekit.localhost")]
    [InlineData("ws://127.0.0.1:7880", "127.0.0.1")]
    [InlineData("ws://sfu.example.org", "is not wss://")]
    [InlineData("https://sfu.example.org", "is not wss://")]
    [InlineData("sfu.example.org", "is not a WebSocket URL")]
    [InlineData("ftp://sfu.example.org", "is not a WebSocket URL")]
    public void An_SFU_URL_must_be_wss_on_a_name_other_than_localhost(string url, string? problem)
    {
        var found = SfuUrl.FormProblem(url);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Versions_keep_the_features_switched_on_and_know_the_call_prerequisites()
    {
        var versions = ClientVersions.Parse("""{"versions": ["r0.6.1", "v1.11", "v1.15"], "unstable_features": {"org.matrix.msc4140": true, "org.matrix.msc4222": false, "org.matrix.msc4143": true, "x": "yes"}}"""u8)!;
        Assert.Equal(["org.matrix.msc4140", "org.matrix.msc4143"], versions.UnstableFeatures);
        Assert.True(versions.Has(ClientVersions.DelayedEvents));
        Assert.True(versions.RoomSummary);
        Assert.False(versions.StateAfter);
        Assert.False(ClientVersions.Parse("""{"versions": ["v1.12", "v1.9"], "unstable_features": {"im.nheko.summary": false}}"""u8)!.RoomSummary);
        Assert.True(ClientVersions.Parse("""{"versions": ["v1.2"], "unstable_features": {"im.nheko.summary": true}}"""u8)!.RoomSummary);
        Assert.True(ClientVersions.Parse("""{"versions": ["v2.0"]}"""u8)!.AtLeast(1, 15));
        Assert.Null(ClientVersions.Parse("""{"versions": [1]}"""u8));
    }

    [Theory]
    [InlineData("https://auth.example.org/", "https://auth.example.org/.well-known/openid-configuration")]
    [InlineData("https://auth.example.org", "https://auth.example.org/.well-known/openid-configuration")]
    [InlineData("https://example.org/auth/", "https://example.org/auth/.well-known/openid-configuration")]
    [InlineData("http://auth.example.org/", null)]
    [InlineData("https://auth.example.org/?x=1", null)]
    [InlineData("auth.example.org", null)]
    public void The_discovery_document_is_under_the_issuer_without_its_trailing_slash(string issuer, string? expected) =>
        Assert.Equal(expected, AuthDocuments.DiscoveryUrl(issuer)?.AbsoluteUri);

    [Fact]
    public void A_key_set_is_counted_and_anything_else_is_not_one()
    {
        Assert.Equal(2, AuthDocuments.KeyCount("""{"keys": [{"kty": "RSA"}, {"kty": "OKP"}]}"""u8));
        Assert.Equal(0, AuthDocuments.KeyCount("""{"keys": []}"""u8));
        Assert.Null(AuthDocuments.KeyCount("""{"key": []}"""u8));
        Assert.Null(AuthDocuments.KeyCount("<html>"u8));
    }

    [Theory]
    [InlineData(false, MatrixRtcStatus.NotOffered)]
    [InlineData(true, MatrixRtcStatus.Ready)]
    public void Without_findings_calls_are_ready_when_offered(bool offered, MatrixRtcStatus expected) =>
        Assert.Equal(expected, RtcReadiness.Decide(offered, []));

    [Fact]
    public void An_error_outweighs_a_warning_in_the_calls_verdict()
    {
        var warning = RtcFindings.DelayedEventsMissing.Create("w", "w");
        var error = RtcFindings.ServiceCors.Create("e", "e");
        Assert.Equal(MatrixRtcStatus.Partial, RtcReadiness.Decide(true, [warning]));
        Assert.Equal(MatrixRtcStatus.Broken, RtcReadiness.Decide(true, [warning, error]));
    }

    [Fact]
    public void An_error_of_the_token_check_breaks_ready_calls_and_not_offered_stays_not_offered()
    {
        var ready = new MatrixRtcReport(MatrixRtcStatus.Ready, [new RtcTransport("livekit", "https://rtc.example.test", null, RtcTransportSource.TransportsEndpoint)],
            [new TransportsEndpointProbe("https://matrix.example.test/x", 200, null, TransportsEndpointOutcome.Listed, "")], [], null);
        var tokenError = new Finding("rtc.service_cannot_verify", Severity.Error, "s", "d", "f", "calls");
        var broken = ready.WithTokenCheckFindings([tokenError]);
        Assert.Equal(MatrixRtcStatus.Broken, broken.Status);
        Assert.StartsWith("Calls are broken: the transports endpoint lists the call transports", broken.Summary, StringComparison.Ordinal);
        Assert.Equal(MatrixRtcStatus.Ready, ready.WithTokenCheckFindings([]).Status);
        var none = ready with { Status = MatrixRtcStatus.NotOffered, Transports = [] };
        Assert.Equal(MatrixRtcStatus.NotOffered, none.WithTokenCheckFindings([tokenError]).Status);
    }
}
