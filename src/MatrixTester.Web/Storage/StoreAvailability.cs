using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace MatrixTester.Web.Storage;

/// <summary>Which of the store's two circuits a call goes through.</summary>
public enum StoreAccess
{
    Read,
    Write,
}

/// <summary>
/// Whether the result store is answering, shared by everything that uses it. Store calls run through one of two
/// circuit breakers (Polly): reads and writes, because a full or read-only disk still serves permalinks while it
/// refuses new ones. A circuit opens when at least <see cref="FailureRatio"/> of its calls in the last
/// <see cref="SamplingDuration"/> failed, and at least <see cref="MinimumCalls"/> were made (so: after a few
/// failures, not on one unlucky call); while open, calls fail at once (<see cref="StoreUnavailableException"/>) for
/// <see cref="StorageOptions.BreakDuration"/>; then one call tries the store, and its success closes the circuit.
/// An outage (any circuit open) is logged once when it starts and once when it ends, and counted for /metrics.
/// Background work asks <see cref="IsAvailable"/> before it starts and skips a round while it is false (the
/// recovery probe, not the job, finds out when the store is back). Another store class on the same database runs
/// its calls through <see cref="ExecuteAsync{T}"/>, so its failures open the same circuits and it fails fast too.
/// </summary>
public sealed class StoreAvailability
{
    public const double FailureRatio = 0.5;
    public const int MinimumCalls = 3;
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(10);

    private readonly ResiliencePipeline _reads;
    private readonly ResiliencePipeline _writes;
    private readonly TimeProvider _time;
    private readonly ILogger<StoreAvailability> _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<StoreAccess> _open = [];
    private long _outageStart;
    private long _outages;

    public StoreAvailability(IOptions<StorageOptions> options, TimeProvider time, ILogger<StoreAvailability> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _logger = logger;
        BreakDuration = options.Value.BreakDuration;
        _reads = Circuit(StoreAccess.Read);
        _writes = Circuit(StoreAccess.Write);
    }

    /// <summary>False from the moment a circuit opens until every circuit has closed again (the store answered).</summary>
    public bool IsAvailable
    {
        get { lock (_lock) { return _open.Count == 0; } }
    }

    /// <summary>True while the given circuit is open (recovery probes only try the side that failed).</summary>
    public bool IsOpen(StoreAccess access)
    {
        lock (_lock) { return _open.Contains(access); }
    }

    /// <summary>Outages since the site started (for /metrics).</summary>
    public long Outages => Interlocked.Read(ref _outages);

    public TimeSpan BreakDuration { get; }

    /// <summary>
    /// Runs one store call through the circuit. Failures that mean "the store is not answering" (database errors,
    /// timeouts, I/O and socket errors) and calls refused by the open circuit become
    /// <see cref="StoreUnavailableException"/>; anything else (a bug) passes through unchanged.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(StoreAccess access, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await (access == StoreAccess.Read ? _reads : _writes).ExecuteAsync(async ct => await call(ct), cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            throw new StoreUnavailableException("The result store is unavailable; not calling it for a few seconds.", e.RetryAfter ?? BreakDuration, e);
        }
        catch (Exception e) when (IsOutage(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException("The result store did not answer.", BreakDuration, e);
        }
    }

    internal static bool IsOutage(Exception e) =>
        e is DbException or TimeoutException or IOException or SocketException or UnauthorizedAccessException or StoreUnavailableException;

    private ResiliencePipeline Circuit(StoreAccess access) => new ResiliencePipelineBuilder { TimeProvider = _time }
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = FailureRatio,
            MinimumThroughput = MinimumCalls,
            SamplingDuration = SamplingDuration,
            BreakDuration = BreakDuration,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsOutage),
            OnOpened = args => Opened(access, args.Outcome.Exception),
            OnClosed = _ => Closed(access),
        })
        .Build();

    private ValueTask Opened(StoreAccess access, Exception? cause)
    {
        lock (_lock)
        {
            // A failed probe re-opens an open circuit: same outage, nothing new to say.
            if (_open.Add(access) && _open.Count == 1)
            {
                _outageStart = _time.GetTimestamp();
                Interlocked.Increment(ref _outages);
                var side = access == StoreAccess.Read ? "reading" : "writing";
                Log.StoreOutageStarted(_logger, side, cause?.GetType().Name ?? "unknown", cause?.Message ?? "", BreakDuration.TotalSeconds);
            }
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask Closed(StoreAccess access)
    {
        lock (_lock)
        {
            if (_open.Remove(access) && _open.Count == 0)
            {
                var seconds = _time.GetElapsedTime(_outageStart).TotalSeconds;
                Log.StoreOutageEnded(_logger, seconds);
            }
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>The result store cannot be used right now; <see cref="RetryAfter"/> is when trying again makes sense.</summary>
public sealed class StoreUnavailableException(string message, TimeSpan retryAfter, Exception? inner) : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
