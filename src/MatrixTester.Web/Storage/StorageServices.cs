using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Storage;

public static class StorageServices
{
    /// <summary>
    /// The database (Storage:Provider) with its circuits (<see cref="StoreAvailability"/>) and instruments; the
    /// results in it, timed and guarded; the background work that migrates it at start, deletes expired results and
    /// probes for the end of an outage; and a health check that reaches it.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider != StorageProvider.Postgres || IsConnectionString(o.ConnectionString),
                "Storage:ConnectionString must be a valid Npgsql connection string when Storage:Provider is Postgres.")
            .ValidateOnStart();
        services.AddSingleton<StoreAvailability>();
        services.AddSingleton<StoreMetrics>();
        services.AddSingleton<StoreDatabase>();
        services.AddSingleton<ResultStore>();
        services.AddSingleton<UptimeStore>();
        services.AddSingleton<StatisticsStore>();
        services.AddSingleton<IResultStore>(sp => new GuardedResultStore(
            new MeasuredResultStore(sp.GetRequiredService<ResultStore>(), sp.GetRequiredService<StoreMetrics>(), sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<StoreAvailability>()));
        services.AddHostedService<ResultStoreMaintenance>();
        services.AddHostedService<StoreRecoveryProbe>();
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
