using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MatrixTester.Web.Permalinks;

/// <summary>/healthz is unhealthy when the result store cannot answer a query (database down, disk unreadable).</summary>
public sealed class ResultStoreHealthCheck(IResultStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A real query on the history index; ".invalid" can never be a stored server name.
            await store.RecentAsync("healthz.invalid", 1, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (DbException e)
        {
            return HealthCheckResult.Unhealthy("The result store is unreachable.", e);
        }
        catch (TimeoutException e)
        {
            return HealthCheckResult.Unhealthy("The result store timed out.", e);
        }
    }
}
