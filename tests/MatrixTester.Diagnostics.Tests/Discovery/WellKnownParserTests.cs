using System.Net;
using System.Text;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Tests.Discovery;

public sealed class WellKnownParserTests
{
    [Theory]
    [InlineData("""{"m.server": "matrix.example.org:443"}""", WellKnownOutcome.Delegated, "matrix.example.org:443")]
    [InlineData("""{"m.server": "matrix.example.org"}""", WellKnownOutcome.Delegated, "matrix.example.org")]
    [InlineData("""{"m.server": "[2001:db8::1]:8448", "extra": true}""", WellKnownOutcome.Delegated, "[2001:db8::1]:8448")]
    [InlineData("""{"m.server": ""}""", WellKnownOutcome.EmptyMServer, "")]
    [InlineData("""{"m.server": "https://matrix.example.org:443"}""", WellKnownOutcome.InvalidMServer, "https://matrix.example.org:443")]
    [InlineData("""{"m.server": "matrix.example.org/"}""", WellKnownOutcome.InvalidMServer, "matrix.example.org/")]
    [InlineData("""{"m.server": " matrix.example.org"}""", WellKnownOutcome.InvalidMServer, " matrix.example.org")]
    [InlineData("""{"m.server": 443}""", WellKnownOutcome.MissingMServer, null)]
    [InlineData("""{"m.homeserver": {"base_url": "https://m.example.org"}}""", WellKnownOutcome.MissingMServer, null)]
    [InlineData("""["m.server"]""", WellKnownOutcome.NotAnObject, null)]
    [InlineData("\"matrix.example.org\"", WellKnownOutcome.NotAnObject, null)]
    [InlineData("<html><body>Welcome</body></html>", WellKnownOutcome.InvalidJson, null)]
    [InlineData("{\"m.server\": \"a\",}", WellKnownOutcome.InvalidJson, null)]
    [InlineData("{\"m.server\": \"a.example\", \"m.server\": \"b.example\"}", WellKnownOutcome.InvalidJson, null)]
    [InlineData("", WellKnownOutcome.InvalidJson, null)]
    public void Bodies_are_validated_with_a_precise_outcome(string body, WellKnownOutcome outcome, string? mServer)
    {
        var (parsed, value, problem) = WellKnownParser.ParseBody(Encoding.UTF8.GetBytes(body));
        Assert.Equal(outcome, parsed);
        Assert.Equal(mServer, value);
        Assert.Equal(outcome == WellKnownOutcome.Delegated, problem is null);
    }

    [Fact]
    public void Html_bodies_are_recognised_as_html()
    {
        var (_, _, problem) = WellKnownParser.ParseBody("<!DOCTYPE html><html></html>"u8);
        Assert.Contains("HTML", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_file_served_in_place_of_the_server_file_is_named()
    {
        var (_, _, problem) = WellKnownParser.ParseBody("""{"m.homeserver": {"base_url": "https://x"}}"""u8);
        Assert.Contains("client file", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_not_json()
    {
        var (outcome, _, problem) = WellKnownParser.ParseBody([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]);
        Assert.Equal(WellKnownOutcome.InvalidJson, outcome);
        Assert.Contains("UTF-8", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_rejected_without_recursion_trouble()
    {
        var body = new string('[', 100_000) + new string(']', 100_000);
        Assert.Equal(WellKnownOutcome.InvalidJson, WellKnownParser.ParseBody(Encoding.ASCII.GetBytes(body)).Outcome);
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static HttpExchange Response(params (string Name, string Value)[] headers) => new()
    {
        Url = "https://example.org/.well-known/matrix/server",
        Address = IPAddress.Loopback,
        Port = 443,
        HostHeader = "example.org",
        Status = 200,
        Headers = headers.ToDictionary(h => h.Name, h => h.Value),
    };

    // Spec: respect cache headers, 24 h default, 48 h maximum; Synapse raises anything below 5 minutes to 5 minutes.
    [Theory]
    [InlineData(null, null, 24 * 3600, null)]
    [InlineData("max-age=3600", null, 3600, 3600)]
    [InlineData("public, max-age=7200", null, 7200, 7200)]
    [InlineData("MAX-AGE=600", null, 600, 600)]
    [InlineData("max-age=10", null, 300, 10)]
    [InlineData("max-age=0", null, 300, 0)]
    [InlineData("no-store", null, 300, 0)]
    [InlineData("max-age=604800", null, 48 * 3600, 604800)]
    [InlineData("max-age=abc", null, 24 * 3600, null)]
    [InlineData("private; max-age=0", null, 24 * 3600, null)]
    [InlineData(null, "Mon, 23 Nov 2026 14:00:00 GMT", 7200, 7200)]
    [InlineData(null, "0", 300, 0)]
    [InlineData("max-age=3600", "Mon, 23 Nov 2026 14:00:00 GMT", 3600, 3600)]
    public void Cache_lifetime_follows_the_headers_within_the_homeserver_limits(string? cacheControl, string? expires, int ttlSeconds, int? rawSeconds)
    {
        var headers = new List<(string, string)>();
        if (cacheControl is not null)
        {
            headers.Add(("cache-control", cacheControl));
        }
        if (expires is not null)
        {
            headers.Add(("expires", expires));
        }
        var (ttl, raw, _) = WellKnownParser.CacheTtl(Response([.. headers]), success: true, Now);
        Assert.Equal(TimeSpan.FromSeconds(ttlSeconds), ttl);
        Assert.Equal(rawSeconds is { } r ? TimeSpan.FromSeconds(r) : null, raw);
    }

    [Fact]
    public void Failures_are_cached_for_an_hour()
    {
        Assert.Equal(TimeSpan.FromHours(1), WellKnownParser.CacheTtl(Response(("cache-control", "max-age=86400")), success: false, Now).Ttl);
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON", true)]
    [InlineData("text/plain", false)]
    [InlineData("text/html; charset=utf-8", false)]
    [InlineData(null, false)]
    public void Content_type_must_be_json(string? contentType, bool ok) =>
        Assert.Equal(ok, WellKnownParser.IsJsonContentType(contentType));
}
