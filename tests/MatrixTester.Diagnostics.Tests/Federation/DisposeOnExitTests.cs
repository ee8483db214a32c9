using System.Net;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;

namespace MatrixTester.Diagnostics.Tests.Federation;

/// <summary>
/// A connection abandoned mid-handshake is closed at once, on every path, not when a timeout or the finalizer gets to
/// it. The lab server reads the ClientHello and never answers; it then records when the client closes its end. The
/// connect timeout is a minute, so only disposal can close the connection within the test's bound.
/// </summary>
public sealed class DisposeOnExitTests : IAsyncDisposable
{
    // A safety bound for a causal wait: the close normally arrives within milliseconds of the cancellation.
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(5);
    private static readonly OutboundRequest[] TwoGets = [OutboundRequest.Get("/_matrix/key/v2/server", 1024), OutboundRequest.Get("/_matrix/federation/v1/version", 1024)];
    private readonly StalledTlsListener _server = new();
    private readonly LabRawHost _host;

    public DisposeOnExitTests() => _host = new LabRawHost(new IPEndPoint(FederationLab.NewAddress(), 0), _server.HandleAsync);

    [Fact]
    public async Task A_direct_connect_cancelled_mid_handshake_closes_the_connection()
    {
        using var connection = Connect();
        using var caller = new CancellationTokenSource();

        var request = connection.SendAsync(TwoGets, "h.test", () => TimeSpan.Zero, caller.Token);
        await _server.HelloReceived.WaitAsync(CloseBound, TestContext.Current.CancellationToken);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await AssertClosedAsync(); // before the EndpointConnection is disposed
    }

    [Fact]
    public async Task A_speculative_connect_whose_run_is_cancelled_closes_the_connection()
    {
        using var connection = Connect();
        using var run = new CancellationTokenSource();

        connection.StartConnect(run.Token);
        await _server.HelloReceived.WaitAsync(CloseBound, TestContext.Current.CancellationToken);
        await run.CancelAsync();

        await AssertClosedAsync();
    }

    [Fact]
    public async Task A_speculative_connect_whose_taker_gives_up_closes_the_connection()
    {
        using var connection = Connect();
        using var taker = new CancellationTokenSource();

        connection.StartConnect(CancellationToken.None);
        await _server.HelloReceived.WaitAsync(CloseBound, TestContext.Current.CancellationToken);
        var request = connection.SendAsync(TwoGets, "h.test", () => TimeSpan.Zero, taker.Token);
        await taker.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await AssertClosedAsync(); // the taker already nulled the field Dispose would have looked at
    }

    [Fact]
    public async Task A_speculative_connect_nobody_takes_is_closed_when_speculation_ends()
    {
        var connection = Connect();

        connection.StartConnect(CancellationToken.None);
        await _server.HelloReceived.WaitAsync(CloseBound, TestContext.Current.CancellationToken);
        connection.Dispose();

        await AssertClosedAsync();
    }

    [Fact]
    public async Task A_well_known_fetch_cancelled_mid_handshake_closes_the_connection()
    {
        using var connection = Connect();
        using var caller = new CancellationTokenSource();

        var fetch = connection.SendAsync(OutboundRequest.Get("/.well-known/matrix/server", 1024), "h.test", () => TimeSpan.Zero, caller.Token);
        await _server.HelloReceived.WaitAsync(CloseBound, TestContext.Current.CancellationToken);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        await AssertClosedAsync(); // before the EndpointConnection (and its handler) is disposed
    }

    [Fact]
    public async Task A_well_known_fetch_given_up_by_its_owner_closes_the_connection()
    {
        var connection = Connect();

        var fetch = connection.SendAsync(OutboundRequest.Get("/.well-known/matrix/server", 1024), "h.test", () => TimeSpan.Zero, CancellationToken.None);
        await _server.HelloReceived.WaitAsync(CloseBound, TestContext.Current.CancellationToken);
        connection.Dispose();

        await AssertClosedAsync();
        Assert.NotEqual(ExchangeFailure.None, (await fetch).Failure);
    }

    [Fact]
    public async Task A_handshake_timeout_closes_the_connection_and_is_reported()
    {
        using var connection = Connect(TimeSpan.FromMilliseconds(300));

        var exchanges = await connection.SendAsync(TwoGets, "h.test", () => TimeSpan.Zero, CancellationToken.None);

        Assert.All(exchanges, e => Assert.Equal(ExchangeFailure.TlsHandshakeFailed, e.Failure));
        await AssertClosedAsync();
    }

    private async Task AssertClosedAsync()
    {
        Assert.True(await _server.AllClosedWithinAsync(CloseBound), $"The server still had an open connection {CloseBound.TotalSeconds:0} s after the client gave up.");
        Assert.Equal(1, _server.Accepted);
    }

    private EndpointConnection Connect(TimeSpan? connectTimeout = null)
    {
        var options = new DiagnosisOptions
        {
            ExtraTrustedRoots = FederationLab.RootPemPath,
            AllowPrivateNetworks = true,
            ConnectTimeout = connectTimeout ?? TimeSpan.FromMinutes(1),
            RequestTimeout = TimeSpan.FromMinutes(1),
        };
        return new EndpointConnection(_host.EndPoint, "h.test", new AddressPolicy(true), options, TrustAnchors.FromOptions(options), TimeProvider.System);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
