using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Lab;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Diagnostics.Tests.Federation;

/// <summary>
/// The two federation GETs leave together over one TLS connection (HTTP/1.1 pipelining) and the responses are
/// matched in order; servers that close early or ignore the second request still get it answered on a new connection.
/// </summary>
public sealed class PipelinedConnectionTests : IAsyncDisposable
{
    private static readonly OutboundRequest[] TwoGets = [OutboundRequest.Get("/_matrix/key/v2/server", 1024), OutboundRequest.Get("/_matrix/federation/v1/version", 1024)];
    private readonly List<IAsyncDisposable> _servers = [];

    [Fact]
    public async Task Both_requests_are_sent_before_any_answer_and_the_responses_are_matched_in_order()
    {
        // The server answers only once it holds both requests: a client waiting for the first answer would time out.
        var server = Start(async (index, ssl, requests, ct) =>
        {
            await requests.ReadAsync(2, ct);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"a\": 1}" +
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Second: yes\r\n\r\n5\r\n{\"b\":\r\n3\r\n 2}\r\n0\r\n\r\n"), ct);
        });
        using var connection = Connect(server);

        var exchanges = await connection.SendAsync(TwoGets, "matrix.example.test", () => TimeSpan.Zero, CancellationToken.None);

        Assert.All(exchanges, e => Assert.Equal(ExchangeFailure.None, e.Failure));
        Assert.Equal("{\"a\": 1}", Encoding.ASCII.GetString(exchanges[0].Body));
        Assert.Equal("application/json", exchanges[0].Header("content-type"));
        Assert.Equal("{\"b\": 2}", Encoding.ASCII.GetString(exchanges[1].Body));
        Assert.Equal("yes", exchanges[1].Header("x-second"));
        Assert.True(exchanges[0].NewConnection);
        Assert.False(exchanges[1].NewConnection);
        Assert.Equal(1, server.Connections);
        Assert.Equal(["GET /_matrix/key/v2/server", "GET /_matrix/federation/v1/version"], server.RequestLines);
        Assert.All(server.HostHeaders, h => Assert.Equal("matrix.example.test", h));
    }

    [Fact]
    public async Task A_server_that_closes_after_the_first_response_answers_the_second_request_on_a_new_connection()
    {
        var server = Start(async (index, ssl, requests, ct) =>
        {
            await requests.ReadAsync(index == 0 ? 2 : 1, ct);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n{index}"), ct);
            // then the connection closes without a word about it
        });
        using var connection = Connect(server);

        var exchanges = await connection.SendAsync(TwoGets, "matrix.example.test", () => TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(["0", "1"], exchanges.Select(e => Encoding.ASCII.GetString(e.Body)));
        Assert.True(exchanges[1].NewConnection);
        Assert.Equal(2, server.Connections);
        Assert.Equal("GET /_matrix/federation/v1/version", server.RequestLines[^1]);
    }

    [Fact]
    public async Task A_connection_close_header_sends_the_rest_on_a_new_connection()
    {
        var server = Start(async (index, ssl, requests, ct) =>
        {
            await requests.ReadAsync(1, ct);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n{index}"), ct);
            await Task.Delay(Timeout.Infinite, ct); // keeps the socket open: the client must not wait for more
        });
        using var connection = Connect(server);

        var exchanges = await connection.SendAsync(TwoGets, "h.test", () => TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(["0", "1"], exchanges.Select(e => Encoding.ASCII.GetString(e.Body)));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_server_that_ignores_the_pipelined_request_is_asked_again_after_the_request_timeout()
    {
        var server = Start(async (index, ssl, requests, ct) =>
        {
            await requests.ReadAsync(1, ct);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n{index}"), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var connection = Connect(server, o => o.RequestTimeout = TimeSpan.FromMilliseconds(300));

        var exchanges = await connection.SendAsync(TwoGets, "h.test", () => TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(["0", "1"], exchanges.Select(e => Encoding.ASCII.GetString(e.Body)));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_reported_and_the_next_request_still_gets_its_answer()
    {
        var server = Start(async (index, ssl, requests, ct) =>
        {
            await requests.ReadAsync(index == 0 ? 2 : 1, ct);
            var body = index == 0 ? new string('x', 5000) : "ok";
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}"), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var connection = Connect(server);

        var exchanges = await connection.SendAsync(TwoGets, "h.test", () => TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(ExchangeFailure.BodyTooLarge, exchanges[0].Failure);
        Assert.Equal("ok", Encoding.ASCII.GetString(exchanges[1].Body));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", ExchangeFailure.ConnectionReset)]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n\r\n", ExchangeFailure.ProtocolError)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", ExchangeFailure.ProtocolError)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", ExchangeFailure.ProtocolError)]
    [InlineData("", ExchangeFailure.ConnectionReset)]
    public async Task A_broken_first_response_is_classified(string response, ExchangeFailure expected)
    {
        var server = Start(async (index, ssl, requests, ct) =>
        {
            await requests.ReadAsync(1, ct);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(index == 0 ? response : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), ct);
        });
        using var connection = Connect(server);

        var exchanges = await connection.SendAsync(TwoGets, "h.test", () => TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(expected, exchanges[0].Failure);
        Assert.Contains(EndpointConnection.Format(server.EndPoint), exchanges[0].Error, StringComparison.Ordinal);
        Assert.Equal("ok", Encoding.ASCII.GetString(exchanges[1].Body));
    }

    [Fact]
    public async Task A_refused_connection_fails_every_request_the_same_way()
    {
        var port = new TcpListener(IPAddress.Loopback, 0);
        port.Start();
        var endpoint = (IPEndPoint)port.LocalEndpoint;
        port.Stop();
        using var connection = new EndpointConnection(endpoint, "h.test", new AddressPolicy(true), Options(), TrustAnchors.FromOptions(Options()), TimeProvider.System);

        var exchanges = await connection.SendAsync(TwoGets, "h.test", () => TimeSpan.Zero, CancellationToken.None);

        Assert.All(exchanges, e => Assert.Equal(ExchangeFailure.ConnectRefused, e.Failure));
    }

    private static DiagnosisOptions Options(Action<DiagnosisOptions>? configure = null)
    {
        var options = new DiagnosisOptions { ExtraTrustedRoots = FederationLab.RootPemPath, AllowPrivateNetworks = true, ConnectTimeout = TimeSpan.FromSeconds(3), RequestTimeout = TimeSpan.FromSeconds(3) };
        configure?.Invoke(options);
        return options;
    }

    private static EndpointConnection Connect(ScriptedServer server, Action<DiagnosisOptions>? configure = null)
    {
        var options = Options(configure);
        return new EndpointConnection(server.EndPoint, "matrix.example.test", new AddressPolicy(true), options, TrustAnchors.FromOptions(options), TimeProvider.System);
    }

    private ScriptedServer Start(Func<int, SslStream, RequestReader, CancellationToken, Task> script)
    {
        var server = new ScriptedServer(LabPki.Instance.Issue("matrix.example.test"), script);
        _servers.Add(server);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
