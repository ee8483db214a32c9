using System.Net;
using System.Text;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.Federation;

/// <summary>
/// The one request path serves every caller: a POST with a JSON body and a GET with an Authorization header (what a
/// two-way federation check sends) go over the same connection as any GET; single requests reuse a kept-alive
/// connection; repeated response header fields are combined; nothing from outside can add a header line.
/// </summary>
public sealed class OutboundRequestTests : LabTest
{
    [Fact]
    public async Task A_json_POST_and_an_authorized_GET_share_one_connection_with_their_headers_and_body()
    {
        var host = await EchoHostAsync();
        using var connection = Connect(host.EndPoint);
        var query = Encoding.UTF8.GetBytes("""{"server_keys": {"example.test": {}}}""");

        var exchanges = await connection.SendAsync(
            [OutboundRequest.PostJson("/_matrix/key/v2/query", query, 4096),
             OutboundRequest.Get("/_matrix/federation/v1/query/directory?room_alias=%23a%3Aexample.test", 4096).WithHeader("Authorization", "X-Matrix origin=\"tester.test\",key=\"ed25519:1\",sig=\"abc\"")],
            "h.test", () => TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal("POST application/json no-auth {\"server_keys\": {\"example.test\": {}}}", Encoding.UTF8.GetString(exchanges[0].Body));
        Assert.Equal("GET  X-Matrix origin=\"tester.test\",key=\"ed25519:1\",sig=\"abc\" ", Encoding.UTF8.GetString(exchanges[1].Body));
        Assert.Equal(1, host.Handshakes);
        Assert.Equal([true, false], exchanges.Select(e => e.NewConnection));
    }

    [Fact]
    public async Task Requests_made_one_after_the_other_reuse_the_kept_alive_connection()
    {
        var host = await EchoHostAsync();
        using var connection = Connect(host.EndPoint);

        var first = await connection.SendAsync(OutboundRequest.Get("/_matrix/key/v2/query", 4096), "h.test", () => TimeSpan.Zero, TestContext.Current.CancellationToken);
        var second = await connection.SendAsync(OutboundRequest.Get("/_matrix/key/v2/query", 4096), "h.test", () => TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal([200, 200], new[] { first.Status, second.Status });
        Assert.True(first.NewConnection);
        Assert.False(second.NewConnection);
        Assert.Equal(1, host.Handshakes);
    }

    [Fact]
    public async Task Repeated_response_header_fields_are_combined_in_order()
    {
        var host = await Lab.HttpsAsync(FederationLab.NewAddress(), 443, Lab.Pki.Issue("h.test"), r => r.Map("/", context =>
        {
            context.Response.Headers.Append("Cache-Control", "max-age=3600");
            context.Response.Headers.Append("Cache-Control", "public");
            return Task.CompletedTask;
        }));
        using var connection = Connect(host.EndPoint);

        var exchange = await connection.SendAsync(OutboundRequest.Get("/", 1024), "h.test", () => TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal("max-age=3600, public", exchange.Header("cache-control"));
    }

    [Theory]
    [InlineData("Authorization", "X-Matrix a\r\nX-Injected: 1")]
    [InlineData("Bad Name", "value")]
    [InlineData("X-Null", "a\0b")]
    public void A_header_line_cannot_be_smuggled_in(string name, string value) =>
        Assert.Throws<ArgumentException>(() => OutboundRequest.Get("/", 1).WithHeader(name, value));

    [Theory]
    [InlineData("GET", "/a b")]
    [InlineData("GET", "/a\r\nHost: evil")]
    [InlineData("GET", "relative")]
    [InlineData("G ET", "/")]
    public void A_malformed_request_line_is_refused(string method, string target) =>
        Assert.Throws<ArgumentException>(() => new OutboundRequest(method, target, 1));

    /// <summary>Answers with "method content-type authorization body" so the test sees what arrived.</summary>
    private async Task<LabHttpsHost> EchoHostAsync() =>
        await Lab.HttpsAsync(FederationLab.NewAddress(), 443, Lab.Pki.Issue("h.test"), r => r
            .Map("/_matrix/key/v2/query", EchoAsync).Map("/_matrix/federation/v1/query/directory", EchoAsync));

    private static async Task EchoAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var auth = context.Request.Headers.Authorization.ToString();
        await context.Response.WriteAsync($"{context.Request.Method} {context.Request.ContentType} {(auth.Length == 0 ? "no-auth" : auth)} {body}");
    }

    private EndpointConnection Connect(IPEndPoint endpoint)
    {
        var options = Lab.Options();
        return new EndpointConnection(endpoint, "h.test", new AddressPolicy(true), options, TrustAnchors.FromOptions(options), TimeProvider.System);
    }
}
