using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Deletes expired probes (their private seeds and target slots), key fetch rows and counts older than a probe
/// lifetime, and the call token check's expired token hashes, old slots and call-backs, every minute, so a seed
/// outlives its probe by at most that long even when no new probe starts (each start deletes expired ones too). Every instance runs it; the deletes are idempotent. Skipped while the store is
/// unavailable.
/// </summary>
public sealed class ProbeCleanup(ProbeStore store, OpenIdStore openId, StoreAvailability availability, IOptions<FederationOptions> options, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ServerName is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!availability.IsAvailable)
            {
                continue;
            }
            try
            {
                await store.DeleteExpiredAsync(time.GetUtcNow(), options.Value.ProbeLifetime, stoppingToken);
                await openId.DeleteExpiredAsync(time.GetUtcNow(), TokenCheckLimits.From(options.Value).Keep, stoppingToken);
            }
            catch (StoreUnavailableException)
            {
                // Logged once by StoreAvailability; the next round catches up.
            }
        }
    }
}
