using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Storage;

/// <summary>
/// The tables of one feature (watches, the federation identity) in the result store's database: numbered,
/// forward-only migrations per dialect, recorded in <c>{Prefix}_schema_version</c> apart from the results' own
/// <c>schema_version</c>, so features migrate independently. Append only: never edit an applied migration.
/// </summary>
/// <param name="LockKey">PostgreSQL advisory lock key, unique to the feature: concurrent starts take turns.</param>
public sealed record StoreSchema(string Prefix, long LockKey, IReadOnlyList<string> Postgres, IReadOnlyList<string> Sqlite);

/// <summary>
/// Connections to the result store's database (Storage:Provider) for a feature's own tables, migrated once per process
/// (concurrent starts take turns: an advisory lock on PostgreSQL, an immediate write transaction on SQLite), and
/// every use run through the result store's circuit (<see cref="StoreAvailability"/>).
/// </summary>
public abstract class StoreDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly StoreSchema _schema;
    private readonly StoreAvailability _availability;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _migrated = new(1, 1);
    private bool _ready;

    protected StoreDatabase(IOptions<StorageOptions> options, StoreAvailability availability, TimeProvider time, StoreSchema schema)
    {
        ArgumentNullException.ThrowIfNull(options);
        _availability = availability;
        _time = time;
        _schema = schema;
        var storage = options.Value;
        if (storage.Provider == StorageProvider.Postgres)
        {
            PostgresConnectionString = storage.ConnectionString!;
            _postgres = NpgsqlDataSource.Create(PostgresConnectionString);
        }
        else
        {
            var directory = Path.GetFullPath(storage.DataDirectory);
            DataFiles.EnsureDirectory(directory);
            SqlitePath = Path.Combine(directory, "results.db");
            SqliteConnectionString = new SqliteConnectionStringBuilder { DataSource = SqlitePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
        }
    }

    public bool IsPostgres => _postgres is not null;

    /// <summary>As configured: NpgsqlDataSource.ConnectionString leaves the password out.</summary>
    protected string? PostgresConnectionString { get; }

    protected string? SqliteConnectionString { get; }

    private string? SqlitePath { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on a migrated connection, through the result store's circuit: during an outage a
    /// call fails fast with <see cref="StoreUnavailableException"/> (answered 503, never 500), and its failures count
    /// towards the same outage as the results'.
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
                if (SqlitePath is not null)
                {
                    DataFiles.EnsureDatabase(SqlitePath);
                }
                await using var connection = await OpenRawAsync(cancellationToken);
                await ApplyAsync(connection, IsPostgres ? _schema.Postgres : _schema.Sqlite, cancellationToken);
                Volatile.Write(ref _ready, true);
            }
        }
        finally
        {
            _migrated.Release();
        }
    }

    /// <summary>A command with named <c>@parameters</c> (null becomes SQL NULL), in the SQL both dialects share.</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private async Task ApplyAsync(DbConnection connection, IReadOnlyList<string> migrations, CancellationToken cancellationToken)
    {
        var prefix = _schema.Prefix;
        if (!IsPostgres)
        {
            // WAL, as the result store uses: frequent small writes never block page readers.
            await Execute(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, IsPostgres ? $"SELECT pg_advisory_xact_lock({_schema.LockKey})" : $"CREATE TABLE IF NOT EXISTS {prefix}_schema_lock (id INTEGER)", cancellationToken);
        if (!IsPostgres)
        {
            // A write as the first statement makes SQLite take its write lock now, so two processes migrate in turn.
            await Execute(connection, transaction, $"DELETE FROM {prefix}_schema_lock", cancellationToken);
        }
        await Execute(connection, transaction, $"CREATE TABLE IF NOT EXISTS {prefix}_schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken);
        await using var read = Command(connection, $"SELECT coalesce(max(version), 0) FROM {prefix}_schema_version");
        read.Transaction = transaction;
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= migrations.Count; version++)
        {
            await Execute(connection, transaction, migrations[version - 1], cancellationToken);
            await using var record = Command(connection, $"INSERT INTO {prefix}_schema_version (version, applied_at) VALUES (@v, @at)",
                ("v", version), ("at", _time.GetUtcNow().ToUnixTimeMilliseconds()));
            record.Transaction = transaction;
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(SqliteConnectionString);
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
        GC.SuppressFinalize(this);
    }
}
