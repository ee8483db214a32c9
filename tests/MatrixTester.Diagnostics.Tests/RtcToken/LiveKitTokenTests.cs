using System.Text;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Diagnostics.Tests.RtcToken;

/// <summary>Reading a LiveKit token's claims, and which published authorization services the token check asks.</summary>
public sealed class LiveKitTokenTests
{
    private static readonly TokenRequest Request = new("!room:tester.test", "m.call#ROOM", "@u:tester.test", "DEV", "member1", Legacy: false);

    private static string Jwt(string claims) =>
        $"{B64("""{"alg":"HS256","typ":"JWT"}""")}.{B64(claims)}.c2lnbmF0dXJl";

    private static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public void A_token_for_the_raw_room_and_user_device_matches_the_request()
    {
        var (claims, problem) = LiveKitToken.Read(Jwt("""{"sub":"@u:tester.test:DEV","iss":"key","exp":1900000000,"video":{"room":"!room:tester.test","roomJoin":true}}"""), Request);
        Assert.Null(problem);
        Assert.Equal(new LiveKitClaims("HS256", "key", "@u:tester.test:DEV", "!room:tester.test", true, DateTimeOffset.FromUnixTimeSeconds(1900000000), true), claims);
    }

    [Theory]
    [InlineData("""{"sub":"@someone:else.test:DEV","video":{"room":"!room:tester.test","roomJoin":true}}""")]
    [InlineData("""{"sub":"@u:tester.test:DEV","video":{"room":"!other:tester.test","roomJoin":true}}""")]
    [InlineData("""{"sub":"@u:tester.test:DEV","video":{"room":"!room:tester.test"}}""")]
    public void A_token_for_another_user_another_room_or_without_join_does_not_match(string claims) =>
        Assert.False(LiveKitToken.Read(Jwt(claims), Request).Claims!.MatchesRequest);

    [Theory]
    [InlineData("not a jwt")]
    [InlineData("a.b")]
    [InlineData("e30.W10.x")]
    public void Text_that_is_not_a_jwt_with_json_objects_is_said_so(string jwt)
    {
        var (claims, problem) = LiveKitToken.Read(jwt, Request);
        Assert.Null(claims);
        Assert.StartsWith("the jwt", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_livekit_transports_with_a_service_url_count_each_once_and_at_most_three()
    {
        (string?, string?)[] transports =
        [
            ("livekit", "https://a.example/jwt"),
            ("livekit", "https://a.example/jwt/"),
            ("m.livekit", null),
            ("livekit", null),
            ("livekit_multi_sfu", "https://b.example"),
            ("other", "https://x.example"),
            ("livekit", "https://c.example"),
            ("livekit", "https://d.example"),
        ];
        Assert.Equal(["https://a.example/jwt", "https://b.example/", "https://c.example/"], PublishedServices.FromTransports(transports).Select(u => u.AbsoluteUri));
        Assert.Empty(PublishedServices.FromTransports([("livekit", "not a url")]));
    }

    [Fact]
    public void The_calls_report_offers_the_transports_endpoint_services_first_and_never_a_url_cut_to_fit()
    {
        var cut = ReportText.Cap("https://long.example/" + new string('a', 2 * ReportText.Url), ReportText.Url);
        var rtc = new MatrixRtcReport(MatrixRtcStatus.Ready,
            [
                new RtcTransport("livekit", "https://old.example/jwt", null, RtcTransportSource.WellKnown),
                new RtcTransport("livekit", cut, null, RtcTransportSource.TransportsEndpoint),
                new RtcTransport("livekit", "https://new.example/jwt", null, RtcTransportSource.TransportsEndpoint),
            ], [], [], null);
        Assert.Equal(["https://new.example/jwt", "https://old.example/jwt"], rtc.ServiceUrls.Select(u => u.AbsoluteUri));
    }
}
