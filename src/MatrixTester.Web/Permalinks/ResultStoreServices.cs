using MatrixTester.Web.Monitoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Permalinks;

public static class ResultStoreServices
{
    /// <summary>
    /// The configured store (Storage:Provider), measured for /metrics, plus the background work that creates the
    /// schema at start and deletes expired results, and a health check that reaches the store.
    /// </summary>
    public static IServiceCollection AddResultStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider != StorageProvider.Postgres || IsConnectionString(o.ConnectionString),
                "Storage:ConnectionString must be a valid Npgsql connection string when Storage:Provider is Postgres.")
            .ValidateOnStart();
        services.TryAddSingleton<SiteMetrics>();
        services.AddSingleton<IResultStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            IResultStore store = options.Provider == StorageProvider.Postgres
                ? ActivatorUtilities.CreateInstance<PostgresResultStore>(sp)
                : ActivatorUtilities.CreateInstance<SqliteResultStore>(sp);
            return new MeasuredResultStore(store, sp.GetRequiredService<SiteMetrics>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<ResultStoreMaintenance>();
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
