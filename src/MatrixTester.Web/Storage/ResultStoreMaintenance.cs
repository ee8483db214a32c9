using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Storage;

/// <summary>
/// Creates or migrates the schema when the site starts (retrying while the database is unreachable, so the site
/// comes up and /healthz says what is wrong), then deletes expired results every Storage:CleanupInterval.
/// With several instances every one cleans; the deletes are idempotent, so that costs only a little duplicate work.
/// While the store is unavailable a cleanup round is skipped, not queued: the next round after the outage catches up.
/// </summary>
public sealed class ResultStoreMaintenance(IResultStore store, StoreAvailability availability, IOptions<StorageOptions> options, TimeProvider time, ILogger<ResultStoreMaintenance> logger)
    : BackgroundService
{
    private static readonly TimeSpan InitializeRetry = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!await TryAsync(() => store.InitializeAsync(stoppingToken)))
        {
            await Task.Delay(InitializeRetry, time, stoppingToken);
        }
        var settings = options.Value;
        if (settings.RetentionDays == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(settings.CleanupInterval, time);
        do
        {
            if (!availability.IsAvailable)
            {
                continue;
            }
            await TryAsync(async () =>
            {
                var deleted = await store.DeleteCreatedBeforeAsync(settings.Cutoff(time.GetUtcNow())!.Value, stoppingToken);
                if (deleted > 0)
                {
                    Log.ExpiredResultsDeleted(logger, deleted, settings.RetentionDays);
                }
            });
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    // Store trouble is retried later; it must not take the site down (the stored results are a convenience, the
    // diagnosis itself still works). An outage is logged once by StoreAvailability, not once per round here.
    private static async Task<bool> TryAsync(Func<Task> work)
    {
        try
        {
            await work();
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }
}
