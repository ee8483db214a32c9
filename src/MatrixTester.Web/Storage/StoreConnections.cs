using Microsoft.Data.Sqlite;
using Npgsql;
using Quartz.Impl.AdoJobStore;
using Quartz.Impl.AdoJobStore.Common;

namespace MatrixTester.Web.Storage;

/// <summary>
/// How every connection to the database is made, ours and Quartz's alike: the one place that sets its timeouts.
/// </summary>
public static class StoreConnections
{
    /// <summary>
    /// The SQLite file with pooled connections. Microsoft.Data.Sqlite's default timeout is both a command's limit and
    /// SQLite's busy timeout (how long a write waits for another connection's lock): Storage:CommandTimeout.
    /// </summary>
    public static string Sqlite(string path, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Seconds(storage.CommandTimeout),
        }.ToString();
    }

    /// <summary>
    /// The configured PostgreSQL connection string, with short timeouts unless it sets its own: Npgsql waits 15 s to
    /// connect and 30 s per command by default, far too long for a page that only wants to save a permalink.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Postgres(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var settings = new NpgsqlConnectionStringBuilder(storage.ConnectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = storage.ConnectionString };
        if (!given.ContainsKey("Timeout"))
        {
            settings.Timeout = Seconds(storage.ConnectTimeout);
        }
        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            settings.CommandTimeout = Seconds(storage.CommandTimeout);
        }
        return settings;
    }

    /// <summary>Quartz's job store opens its own connections, with the same connection string.</summary>
    public static DbProvider Quartz(StoreDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new(database.IsPostgres ? global::Quartz.DataSourceOptions.Providers.Npgsql : global::Quartz.DataSourceOptions.Providers.Sqlite, database.ConnectionString);
    }

    /// <summary>Quartz's SQL dialect for the database.</summary>
    public static IDriverDelegate QuartzDialect(StoreDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.IsPostgres ? new PostgreSQLDelegate() : new SQLiteDelegate();
    }

    private static int Seconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));
}
