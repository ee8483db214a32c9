using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Storage;

/// <summary>
/// Connections to the result store's database for watches and the scheduler; their tables migrate in
/// <c>watch_schema_version</c> (<see cref="WatchSchema"/>).
/// </summary>
public sealed class WatchDatabase(IOptions<StorageOptions> options, StoreAvailability availability, TimeProvider time)
    : StoreDatabase(options, availability, time, new StoreSchema("watch", 0x4D5458_5754, WatchSchema.Postgres, WatchSchema.Sqlite))
{
    /// <summary>For Quartz's job store, which opens its own connections to the same database.</summary>
    public Quartz.Impl.AdoJobStore.Common.DbProvider QuartzProvider() => IsPostgres
        ? new(Quartz.DataSourceOptions.Providers.Npgsql, PostgresConnectionString!)
        : new(Quartz.DataSourceOptions.Providers.Sqlite, SqliteConnectionString!);
}
