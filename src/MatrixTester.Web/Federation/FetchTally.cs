using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Counts every fetch of our keys made while probes are active, in memory, per second, and adds the counts to the
/// store at most once per <see cref="Interval"/> (and before a probe reads them on this instance). So a flood of key
/// fetches costs memory increments, not a database write each: the unattributed count in a two-way report ("other
/// fetches while your check ran") comes from here. Counts that cannot be written (store down) are dropped: they are
/// information, never evidence.
/// </summary>
public sealed class FetchTally(KeyFetchLog log, StoreAvailability availability, IOptions<FederationOptions> options, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // Bounded: a flush empties it, and an outage drops it; between flushes it holds a handful of seconds.
    private const int MaxPendingSeconds = 600;

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private Dictionary<long, long> _pending = [];

    public void Add(DateTimeOffset at)
    {
        var second = at.ToUnixTimeMilliseconds() / 1000;
        lock (_lock)
        {
            if (_pending.Count < MaxPendingSeconds || _pending.ContainsKey(second))
            {
                _pending[second] = _pending.GetValueOrDefault(second) + 1;
            }
        }
    }

    /// <summary>Writes what is pending (one write call, none when nothing is).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            Dictionary<long, long> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    return;
                }
                (batch, _pending) = (_pending, []);
            }
            try
            {
                await log.AddCountsAsync(batch, cancellationToken);
            }
            catch (StoreUnavailableException)
            {
                // Dropped: see the class summary.
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ServerName is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (availability.IsAvailable)
            {
                await FlushAsync(stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }
}
