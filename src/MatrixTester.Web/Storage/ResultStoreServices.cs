using MatrixTester.Web.Monitoring;
using MatrixTester.Web.Refusals;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Storage;

public static class ResultStoreServices
{
    /// <summary>
    /// The configured store (Storage:Provider), measured for /metrics and guarded by the outage circuits
    /// (<see cref="StoreAvailability"/>), plus the background work that creates the schema at start, deletes expired
    /// results and probes for the end of an outage, a health check that reaches the store, and the 503 answers
    /// of the read routes during an outage.
    /// </summary>
    public static IServiceCollection AddResultStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider != StorageProvider.Postgres || IsConnectionString(o.ConnectionString),
                "Storage:ConnectionString must be a valid Npgsql connection string when Storage:Provider is Postgres.")
            .ValidateOnStart();
        services.TryAddSingleton<SiteMetrics>();
        services.AddSingleton(sp =>
        {
            var availability = ActivatorUtilities.CreateInstance<StoreAvailability>(sp);
            sp.GetRequiredService<SiteMetrics>().ObserveStore(() => availability.IsAvailable, () => availability.Outages);
            return availability;
        });
        services.AddSingleton<IResultStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            IResultStore store = options.Provider == StorageProvider.Postgres
                ? ActivatorUtilities.CreateInstance<PostgresResultStore>(sp)
                : ActivatorUtilities.CreateInstance<SqliteResultStore>(sp);
            var measured = new MeasuredResultStore(store, sp.GetRequiredService<SiteMetrics>(), sp.GetRequiredService<TimeProvider>());
            return new GuardedResultStore(measured, sp.GetRequiredService<StoreAvailability>());
        });
        services.AddHostedService<ResultStoreMaintenance>();
        services.AddHostedService<StoreRecoveryProbe>();
        services.AddExceptionHandler<StoreOutageResponses>();
        services.AddHealthChecks().AddCheck<ResultStoreHealthCheck>("result-store");
        return services;
    }

    private static bool IsConnectionString(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
