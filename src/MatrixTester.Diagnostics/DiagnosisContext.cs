using System.Collections.Concurrent;
using System.Threading.Channels;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics;

/// <summary>
/// The state of one diagnosis: its clock, its event channel, the address policy and a DNS resolver that asks each
/// question once (several steps need the same answer; lookups start early and later steps reuse the task).
/// Nothing is shared between diagnoses, so no cache outlives one run.
/// </summary>
internal sealed class DiagnosisContext(
    ServerName serverName,
    DiagnosisOptions options,
    IDnsResolver dns,
    AddressPolicy policy,
    TrustAnchors anchors,
    TimeProvider time,
    ChannelWriter<DiagnosisEvent> events)
{
    private readonly long _origin = time.GetTimestamp();
    private readonly ConcurrentDictionary<(string, DnsRecordType), Lazy<Task<DnsAnswer>>> _queries = new();
    private readonly ConcurrentQueue<DnsAnswer> _answers = new();

    public ServerName ServerName => serverName;

    public DiagnosisOptions Options => options;

    public AddressPolicy Policy => policy;

    public TrustAnchors Anchors => anchors;

    public TimeProvider Time => time;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public TimeSpan Elapsed => time.GetElapsedTime(_origin);

    /// <summary>Every DNS answer received so far, in completion order.</summary>
    public IReadOnlyList<DnsAnswer> DnsAnswers => _answers.ToArray();

    public void Emit(DiagnosisEvent e) => events.TryWrite(e with { At = Elapsed });

    public void Progress(string message) => Emit(new ProgressEvent(message));

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

    /// <summary>Number of distinct DNS questions asked (each question is asked once).</summary>
    public int DistinctQueries => _queries.Count;

    private async Task<DnsAnswer> RunQueryAsync(string name, DnsRecordType type, string purpose, CancellationToken cancellationToken)
    {
        var answer = await dns.QueryAsync(name, type, cancellationToken);
        _answers.Enqueue(answer);
        Emit(new DnsQueryEvent(answer, purpose));
        return answer;
    }
}
