using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MatrixTester.Web.Storage;

/// <summary>
/// /healthz is unhealthy while the result store is unavailable: during an outage (until the recovery probe finds it
/// answering again), or when a real query on it fails now (database down, disk unreadable).
/// </summary>
public sealed class ResultStoreHealthCheck(IResultStore store, StoreAvailability availability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!availability.IsAvailable)
        {
            return HealthCheckResult.Unhealthy("The result store is unavailable (outage in progress).");
        }
        try
        {
            // A real query on the history index; ".invalid" can never be a stored server name.
            await store.RecentAsync("healthz.invalid", 1, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (StoreUnavailableException e)
        {
            return HealthCheckResult.Unhealthy("The result store is unreachable.", e);
        }
    }
}
