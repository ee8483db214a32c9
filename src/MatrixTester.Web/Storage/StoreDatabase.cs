using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Storage;

/// <summary>
/// The site's one database (Storage:Provider): the SQLite file <c>results.db</c> in the data directory, or the
/// PostgreSQL every instance shares. Every table in it (results, watches, Quartz's, probes) is migrated here, once per
/// process, before the first connection is handed out; every connection is opened here, with one set of timeouts
/// (Storage:ConnectTimeout, and Storage:CommandTimeout, which on SQLite is also how long a command waits for another
/// connection's lock). Calls through <see cref="UseAsync{T}"/> run through the store's circuit
/// (<see cref="StoreAvailability"/>), so a dead database fails fast with <see cref="StoreUnavailableException"/>.
/// </summary>
public sealed class StoreDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlitePath;
    private readonly StoreAvailability _availability;
    private readonly TimeProvider _time;
    private readonly ILogger<StoreDatabase> _logger;
    private readonly SemaphoreSlim _migrating = new(1, 1);
    private volatile bool _migrated;
    private long _writes;

    public StoreDatabase(IOptions<StorageOptions> options, StoreAvailability availability, TimeProvider time, ILogger<StoreDatabase> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _availability = availability;
        _time = time;
        _logger = logger;
        var storage = options.Value;
        if (storage.Provider == StorageProvider.Postgres)
        {
            var settings = StoreConnections.Postgres(storage);
            ConnectionString = settings.ConnectionString;
            _postgres = NpgsqlDataSource.Create(settings);
            Description = $"PostgreSQL {settings.Host}/{settings.Database}";
        }
        else
        {
            _sqlitePath = Path.Combine(Path.GetFullPath(storage.DataDirectory), "results.db");
            ConnectionString = StoreConnections.Sqlite(_sqlitePath, storage);
            Description = $"SQLite {_sqlitePath}";
        }
    }

    public bool IsPostgres => _postgres is not null;

    /// <summary>The connection string every connection uses (with its password, for Quartz's own connections).</summary>
    public string ConnectionString { get; }

    /// <summary>Which database this is, for the log (never the password).</summary>
    public string Description { get; }

    /// <summary>Write calls through <see cref="UseAsync{T}"/> made by this process (what a flood of key fetches must not drive up).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>
    /// Runs <paramref name="work"/> on a connection, through the store's circuit: during an outage a call fails fast
    /// with <see cref="StoreUnavailableException"/> (answered 503, never 500), and its failures count towards the
    /// outage.
    /// </summary>
    public Task<T> UseAsync<T>(StoreAccess access, Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (access == StoreAccess.Write)
        {
            Interlocked.Increment(ref _writes);
        }
        return _availability.ExecuteAsync(access, async ct =>
        {
            await using var connection = await OpenAsync(ct);
            return await work(connection, ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="UseAsync{T}"/>
    public Task UseAsync(StoreAccess access, Func<DbConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        UseAsync(access, async (connection, ct) =>
        {
            await work(connection, ct);
            return true;
        }, cancellationToken);

    /// <summary>An open connection to the migrated database, outside the circuit (the caller guards it).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>
    /// Applies what is missing, once per process. A failure is not remembered: a database that was down at start is
    /// migrated by the first call after it comes back.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }
        await _migrating.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }
            if (_sqlitePath is not null)
            {
                DataFiles.EnsureDatabase(_sqlitePath);
            }
            await using var connection = await OpenRawAsync(cancellationToken);
            if (!IsPostgres)
            {
                // Write-ahead logging: frequent small writes never block readers. Kept in the file, so once is enough.
                await using var wal = Command(connection, "PRAGMA journal_mode = WAL");
                await wal.ExecuteNonQueryAsync(cancellationToken);
            }
            var versions = new List<string>();
            foreach (var schema in StoreSchema.All)
            {
                var version = await schema.ApplyAsync(connection, IsPostgres, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
                versions.Add($"{schema.Name} {version}");
            }
            _migrated = true;
            Log.DatabaseReady(_logger, Description, versions);
        }
        finally
        {
            _migrating.Release();
        }
    }

    /// <summary>
    /// A time as a parameter: timestamptz on PostgreSQL, fixed-width ISO 8601 UTC text on SQLite (which then orders
    /// and compares as the instants do).
    /// </summary>
    public object Time(DateTimeOffset value) =>
        IsPostgres ? value.ToUniversalTime() : value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

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

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(ConnectionString);
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
        _migrating.Dispose();
    }

    public void Dispose()
    {
        _postgres?.Dispose();
        _migrating.Dispose();
    }
}
