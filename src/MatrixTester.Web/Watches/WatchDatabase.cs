using System.Data.Common;
using MatrixTester.Web.Permalinks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Watches;

/// <summary>
/// Connections to the result store's database (Storage:Provider) for watches and the scheduler, and the numbered,
/// forward-only migrations of their tables, recorded in <c>watch_schema_version</c> apart from the results' own
/// <c>schema_version</c> so the two features migrate independently. Concurrent starts take turns: an advisory lock
/// on PostgreSQL, an immediate (write) transaction on SQLite.
/// </summary>
public sealed class WatchDatabase : IAsyncDisposable
{
    private const long LockKey = 0x4D5458_5754;
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    // As configured: NpgsqlDataSource.ConnectionString leaves the password out.
    private readonly string? _postgresConnectionString;
    private readonly SemaphoreSlim _migrated = new(1, 1);
    private bool _ready;

    private readonly StoreAvailability _availability;
    private readonly TimeProvider _time;

    public WatchDatabase(IOptions<StorageOptions> options, StoreAvailability availability, TimeProvider time)
    {
        _availability = availability;
        _time = time;
        var storage = options.Value;
        if (storage.Provider == StorageProvider.Postgres)
        {
            _postgresConnectionString = storage.ConnectionString!;
            _postgres = NpgsqlDataSource.Create(_postgresConnectionString);
        }
        else
        {
            var directory = Path.GetFullPath(storage.DataDirectory);
            Directory.CreateDirectory(directory);
            _sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "results.db"), Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
        }
    }

    public bool IsPostgres => _postgres is not null;

    /// <summary>For Quartz's job store, which opens its own connections to the same database.</summary>
    public Quartz.Impl.AdoJobStore.Common.DbProvider QuartzProvider() => _postgres is not null
        ? new(Quartz.DataSourceOptions.Providers.Npgsql, _postgresConnectionString!)
        : new(Quartz.DataSourceOptions.Providers.Sqlite, _sqlite!);


    /// <summary>
    /// Runs <paramref name="work"/> on a migrated connection, through the result store's circuit: during an outage a
    /// watch page, API call or scheduled check fails fast with <see cref="StoreUnavailableException"/>, which the site
    /// answers with 503 (never 500), and its failures count towards the same outage as the results'.
    /// </summary>
    public Task<T> UseAsync<T>(StoreAccess access, Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _availability.ExecuteAsync(access, async ct =>
        {
            await MigrateAsync(ct);
            await using var connection = await OpenRawAsync(ct);
            return await work(connection, ct);
        }, cancellationToken);

    /// <inheritdoc cref="UseAsync{T}"/>
    public Task UseAsync(StoreAccess access, Func<DbConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        UseAsync(access, async (connection, ct) =>
        {
            await work(connection, ct);
            return true;
        }, cancellationToken);

    /// <summary>Applies what is missing, once per process (retried by the caller while the database is unreachable).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ready))
        {
            return;
        }
        await _migrated.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                await using var connection = await OpenRawAsync(cancellationToken);
                await ApplyAsync(connection, IsPostgres ? WatchSchema.Postgres : WatchSchema.Sqlite, cancellationToken);
                Volatile.Write(ref _ready, true);
            }
        }
        finally
        {
            _migrated.Release();
        }
    }

    private async Task ApplyAsync(DbConnection connection, IReadOnlyList<string> migrations, CancellationToken cancellationToken)
    {
        if (!IsPostgres)
        {
            // WAL, as the result store uses: the scheduler's frequent small writes never block page readers.
            await Execute(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, IsPostgres ? $"SELECT pg_advisory_xact_lock({LockKey})" : "CREATE TABLE IF NOT EXISTS watch_schema_lock (id INTEGER)", cancellationToken);
        if (!IsPostgres)
        {
            // A write as the first statement makes SQLite take its write lock now, so two processes migrate in turn.
            await Execute(connection, transaction, "DELETE FROM watch_schema_lock", cancellationToken);
        }
        await Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS watch_schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken);
        await using var read = WatchStore.Command(connection, "SELECT coalesce(max(version), 0) FROM watch_schema_version");
        read.Transaction = transaction;
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= migrations.Count; version++)
        {
            await Execute(connection, transaction, migrations[version - 1], cancellationToken);
            await using var record = WatchStore.Command(connection, "INSERT INTO watch_schema_version (version, applied_at) VALUES (@v, @at)",
                ("v", version), ("at", _time.GetUtcNow().ToUnixTimeMilliseconds()));
            record.Transaction = transaction;
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = WatchStore.Command(connection, sql);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(_sqlite);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        _migrated.Dispose();
    }
}
