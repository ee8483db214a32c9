using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Storage;

/// <summary>
/// Ends an outage without waiting for visitors: while the store is unavailable, every
/// <see cref="StorageOptions.BreakDuration"/> it tries the side that failed (a read, or the heartbeat write) through
/// the open circuit, so the circuit closes as soon as the store answers, /healthz turns healthy and background work
/// resumes. Costs nothing while the store is available.
/// </summary>
public sealed class StoreRecoveryProbe(IResultStore store, StoreAvailability availability, IOptions<StorageOptions> options, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.BreakDuration, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (availability.IsOpen(StoreAccess.Read))
            {
                await TryAsync(() => store.RecentAsync("probe.invalid", 1, stoppingToken));
            }
            if (availability.IsOpen(StoreAccess.Write))
            {
                await TryAsync(() => store.ProbeWriteAsync(stoppingToken));
            }
        }
    }

    // A failed probe is the outage going on: already logged once when it started.
    private static async Task TryAsync(Func<Task> probe)
    {
        try
        {
            await probe();
        }
        catch (StoreUnavailableException)
        {
        }
    }
}
