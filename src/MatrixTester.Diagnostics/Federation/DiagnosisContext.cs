using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>
/// The state of one diagnosis: its clock, the address policy, a DNS resolver that asks each question once (several
/// steps need the same answer; lookups start early and later steps reuse the task) and the connections started
/// speculatively. Progress and DNS answers go to the orchestrator through <see cref="DiagnosisHooks"/>, which alone
/// emits events. Nothing is shared between diagnoses, so no cache outlives one run.
/// </summary>
internal sealed class DiagnosisContext(
    ServerName serverName,
    DiagnosisOptions options,
    IDnsResolver dns,
    AddressPolicy policy,
    TrustAnchors anchors,
    TimeProvider time,
    DiagnosisHooks hooks)
{
    private readonly long _origin = time.GetTimestamp();
    private readonly ConcurrentDictionary<(string, DnsRecordType), Lazy<Task<DnsAnswer>>> _queries = new();
    private readonly ConcurrentQueue<DnsAnswer> _answers = new();
    private readonly Dictionary<string, EndpointConnection?> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EndpointConnection> _shared = new(StringComparer.Ordinal);
    private bool _speculationOver;
    private bool _closed;

    public ServerName ServerName => serverName;

    public DiagnosisOptions Options => options;

    public AddressPolicy Policy => policy;

    public TrustAnchors Anchors => anchors;

    public TimeProvider Time => time;

    /// <summary>The bounds of every HTTP exchange in this diagnosis.</summary>
    public HttpLimits Limits { get; } = HttpLimits.From(options);

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public TimeSpan Elapsed => time.GetElapsedTime(_origin);

    /// <summary>Every DNS answer received so far, in completion order.</summary>
    public IReadOnlyList<DnsAnswer> DnsAnswers => _answers.ToArray();

    private readonly TaskCompletionSource _wellKnownQueued = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once the server well-known request has joined its connection's queue (or discovery has none to
    /// make). The client files share that connection and queue behind it: HTTP/1.1 answers in order, so a client
    /// file that hangs must never be ahead of the federation well-known.
    /// </summary>
    public Task WellKnownRequested => _wellKnownQueued.Task;

    public void WellKnownQueued() => _wellKnownQueued.TrySetResult();

    public void Progress(string message) => hooks.Progress(this, message);

    private int _waits;

    /// <summary>
    /// Marks a wait on the network until the returned scope is disposed: <paramref name="what"/> names what is
    /// awaited ("https://example.org/.well-known/matrix/server (192.0.2.1)"), so the live view can say what the
    /// diagnosis waits for and since when, rather than what finished last.
    /// </summary>
    public WaitScope Waiting(string what)
    {
        var mark = new WaitMark(Interlocked.Increment(ref _waits), what, false);
        hooks.Waiting(this, mark);
        return new WaitScope(this, mark);
    }

    /// <summary>Ends its wait when disposed (also when the wait ended in an exception or a cancellation).</summary>
    internal readonly struct WaitScope(DiagnosisContext context, WaitMark mark) : IDisposable
    {
        public void Dispose() => context.EndWait(mark);
    }

    private void EndWait(WaitMark mark) => hooks.Waiting(this, mark with { Done = true });

    /// <summary>The addresses of <paramref name="host"/> for a fetch (a redirect target, the client files' host), or why there are none.</summary>
    public Task<ResolvedHost> ResolveHostAsync(string host, string purpose, CancellationToken cancellationToken) =>
        hooks.ResolveHost(this, host, purpose, cancellationToken);

    /// <summary>
    /// Ask <paramref name="name"/>/<paramref name="type"/> once per diagnosis. The first caller's
    /// <paramref name="purpose"/> labels the streamed event. Lookups run under the diagnosis token, not the caller's,
    /// so a speculative lookup started early keeps going when its first user stops waiting.
    /// </summary>
    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, string purpose, CancellationToken cancellationToken)
    {
        var key = (name.TrimEnd('.').ToLowerInvariant(), type);
        var lazy = _queries.GetOrAdd(key, k => new Lazy<Task<DnsAnswer>>(() => RunQueryAsync(k.Item1, k.Item2, purpose, cancellationToken)));
        return lazy.Value;
    }

    /// <summary>
    /// Start TCP + TLS to an endpoint discovery may still choose, so the connection is ready when it does. Nothing is
    /// sent before <see cref="TakeConnection"/>; connections nobody takes are closed by <see cref="EndSpeculation"/>.
    /// </summary>
    public void Preconnect(IPEndPoint endPoint, string tlsName, CancellationToken cancellationToken)
    {
        lock (_connections)
        {
            var key = ConnectionKey(endPoint, tlsName);
            if (_speculationOver || _connections.ContainsKey(key))
            {
                return;
            }
            var connection = NewConnection(endPoint, tlsName);
            _connections[key] = connection;
            connection.StartConnect(cancellationToken);
        }
    }

    /// <summary>The connection for a chosen endpoint: the speculative one if it was started, else a new one. The caller disposes it.</summary>
    public EndpointConnection TakeConnection(IPEndPoint endPoint, string tlsName)
    {
        lock (_connections)
        {
            var key = ConnectionKey(endPoint, tlsName);
            _connections.TryGetValue(key, out var connection);
            _connections[key] = null;
            return connection ?? NewConnection(endPoint, tlsName);
        }
    }

    /// <summary>
    /// No more speculation: close every speculative connection nobody took. The orchestrator calls it once every
    /// chosen endpoint's check has taken its connection, so what remains was started for endpoints discovery did not choose.
    /// </summary>
    public void EndSpeculation()
    {
        lock (_connections)
        {
            _speculationOver = true;
            foreach (var (key, connection) in _connections.ToList())
            {
                connection?.Dispose();
                _connections.Remove(key);
            }
        }
    }

    /// <summary>
    /// The one connection this diagnosis uses for plain fetches (well-known files, the client API, redirect hops) to
    /// an address, port, TLS name and scheme: the server, client and support well-known files of the server name's
    /// host share one TCP+TLS connection, as a browser or homeserver would reuse it. The certificate is validated as
    /// homeservers do (<paramref name="validate"/>, the same rule for every caller). Closed by <see cref="CloseConnections"/>.
    /// </summary>
    public EndpointConnection SharedConnection(IPEndPoint endpoint, string tlsName, bool plainHttp, Func<IReadOnlyList<X509Certificate2>, string?> validate)
    {
        var key = $"{(plainHttp ? "http" : "https")} {EndpointConnection.Format(endpoint)} {tlsName}";
        lock (_shared)
        {
            if (_closed)
            {
                throw new OperationCanceledException("The diagnosis has ended.");
            }
            if (!_shared.TryGetValue(key, out var connection))
            {
                connection = new EndpointConnection(endpoint, tlsName, policy, options, anchors, time, validate, plainHttp);
                _shared[key] = connection;
            }
            return connection;
        }
    }

    /// <summary>The diagnosis is over: close every shared connection (and abort whatever it still does).</summary>
    public void CloseConnections()
    {
        lock (_shared)
        {
            _closed = true;
            foreach (var connection in _shared.Values)
            {
                connection.Dispose();
            }
            _shared.Clear();
        }
    }

    private EndpointConnection NewConnection(IPEndPoint endPoint, string tlsName) => new(endPoint, tlsName, policy, options, anchors, time);

    private static string ConnectionKey(IPEndPoint endPoint, string tlsName) => $"{endPoint} {tlsName}";

    private async Task<DnsAnswer> RunQueryAsync(string name, DnsRecordType type, string purpose, CancellationToken cancellationToken)
    {
        var startedAt = Elapsed;
        DnsAnswer answer;
        using (Waiting($"the {type} records of {name}"))
        {
            answer = await dns.QueryAsync(name, type, cancellationToken) with { StartedAt = startedAt };
        }
        _answers.Enqueue(answer);
        hooks.DnsAnswered(this, answer, purpose);
        return answer;
    }
}
