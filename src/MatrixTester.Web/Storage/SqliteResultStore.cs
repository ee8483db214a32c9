using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Storage;

/// <summary>
/// Results in one SQLite file with write-ahead logging (readers never block the writer). Connections are pooled by
/// Microsoft.Data.Sqlite, so each call opens its own; the schema is created on first use, and again after a failure
/// (a data directory that was unwritable at start is set up once it is writable).
/// </summary>
public sealed class SqliteResultStore : IResultStore, IDisposable
{
    private readonly string _connectionString;
    private readonly OnceGate _schema;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;

    public SqliteResultStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<SqliteResultStore> logger)
    {
        _options = options.Value;
        _time = time;
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        var path = Path.Combine(directory, "results.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // How long a command waits for a lock held by another connection before it fails.
            DefaultTimeout = (int)Math.Ceiling(_options.CommandTimeout.TotalSeconds),
        }.ToString();
        _schema = new(async ct =>
        {
            DataFiles.EnsureDatabase(path);
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS results (
                    id          TEXT PRIMARY KEY,
                    server_name TEXT NOT NULL,
                    created_at  TEXT NOT NULL,
                    verdict     TEXT NOT NULL,
                    summary     TEXT NOT NULL,
                    json        TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS results_by_server ON results (server_name, created_at DESC);
                CREATE INDEX IF NOT EXISTS results_by_created ON results (created_at);
                CREATE TABLE IF NOT EXISTS heartbeat (id INTEGER PRIMARY KEY, at TEXT NOT NULL);
                """;
            await command.ExecuteNonQueryAsync(ct);
            Log.StoreReady(logger, path);
        });
    }

    public async Task SaveAsync(StoredResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO results (id, server_name, created_at, verdict, summary, json) VALUES ($id, $name, $at, $verdict, $summary, $json)";
        command.Parameters.AddWithValue("$id", result.Id);
        command.Parameters.AddWithValue("$name", result.ServerName);
        command.Parameters.AddWithValue("$at", FormatTime(result.CreatedAt));
        command.Parameters.AddWithValue("$verdict", result.Verdict);
        command.Parameters.AddWithValue("$summary", result.Summary);
        command.Parameters.AddWithValue("$json", result.Json);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<StoredResult?> GetAsync(string id, CancellationToken cancellationToken) => GetAsync(id, int.MaxValue, cancellationToken);

    public async Task<StoredResult?> GetAsync(string id, int maxJsonBytes, CancellationToken cancellationToken)
    {
        if (!ResultIds.IsWellFormed(id))
        {
            return null;
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // octet_length reads the size from the record header: a longer report is never loaded.
        command.CommandText = "SELECT id, server_name, created_at, verdict, summary, CASE WHEN octet_length(json) <= $max THEN json END FROM results WHERE id = $id" + NotExpired(command);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$max", maxJsonBytes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var tooLarge = await reader.IsDBNullAsync(5, cancellationToken);
        return new StoredResult(reader.GetString(0), reader.GetString(1), ParseTime(reader.GetString(2)), reader.GetString(3), reader.GetString(4), tooLarge ? "" : reader.GetString(5))
        {
            TooLarge = tooLarge,
        };
    }

    public async Task<IReadOnlyList<ResultSummary>> RecentAsync(string serverName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, server_name, created_at, verdict, summary FROM results WHERE server_name = $name" + NotExpired(command) + " ORDER BY created_at DESC LIMIT $limit";
        command.Parameters.AddWithValue("$name", serverName);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ResultSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ResultSummary(reader.GetString(0), reader.GetString(1), ParseTime(reader.GetString(2)), reader.GetString(3), reader.GetString(4)));
        }
        return list;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    public async Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO heartbeat (id, at) VALUES (1, $at)";
        command.Parameters.AddWithValue("$at", FormatTime(_time.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose() => _schema.Dispose();

    public async Task<int> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM results WHERE created_at < $cutoff";
        command.Parameters.AddWithValue("$cutoff", FormatTime(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Expired results disappear at once, not only when the cleanup next runs. Times are fixed-width ISO 8601 UTC
    // text, so comparing them as strings compares the instants.
    private string NotExpired(SqliteCommand command)
    {
        if (_options.Cutoff(_time.GetUtcNow()) is not { } cutoff)
        {
            return "";
        }
        command.Parameters.AddWithValue("$cutoff", FormatTime(cutoff));
        return " AND created_at >= $cutoff";
    }

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken);
        var connection = new SqliteConnection(_connectionString);
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

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
