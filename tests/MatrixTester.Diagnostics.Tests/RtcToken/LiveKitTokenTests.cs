using System.Text;
using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Diagnostics.Tests.RtcToken;

/// <summary>Reading a LiveKit token's claims, and the authorization services a client well-known publishes.</summary>
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
        var body = Encoding.UTF8.GetBytes("""
            {"org.matrix.msc4143.rtc_foci": [
              {"type": "livekit", "livekit_service_url": "https://a.example/jwt"},
              {"type": "livekit", "livekit_service_url": "https://a.example/jwt/"},
              {"type": "m.livekit", "url": "wss://sfu.example"},
              {"type": "livekit"},
              {"type": "livekit", "livekit_service_url": "https://b.example"},
              {"type": "livekit", "livekit_service_url": "https://c.example"},
              {"type": "livekit", "livekit_service_url": "https://d.example"}
            ]}
            """);
        Assert.Equal(["https://a.example/jwt", "https://b.example/", "https://c.example/"], PublishedServices.FromClientWellKnown(body).Select(u => u.AbsoluteUri));
        Assert.Empty(PublishedServices.FromClientWellKnown(Encoding.UTF8.GetBytes("""{"m.homeserver": {"base_url": "https://x"}}""")));
        Assert.Empty(PublishedServices.FromClientWellKnown(Encoding.UTF8.GetBytes("not json")));
    }
}
