using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Storage;

/// <summary>
/// Results in a PostgreSQL database shared by every instance of the site, so a permalink made on one instance opens
/// on all of them. Npgsql pools connections per data source; the schema is migrated once per process.
/// </summary>
public sealed class PostgresResultStore : IResultStore, IAsyncDisposable, IDisposable
{
    private const string Columns = "id, server_name, created_at, verdict, summary";
    private readonly NpgsqlDataSource _dataSource;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly OnceGate _schema;

    public PostgresResultStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<PostgresResultStore> logger)
    {
        _options = options.Value;
        _time = time;
        var settings = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
        // Npgsql waits 15 s to connect and 30 s per command by default: far too long for a page that only wants to
        // save a permalink. A value in the connection string wins.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = _options.ConnectionString };
        if (!given.ContainsKey("Timeout"))
        {
            settings.Timeout = Seconds(_options.ConnectTimeout);
        }
        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            settings.CommandTimeout = Seconds(_options.CommandTimeout);
        }
        _dataSource = NpgsqlDataSource.Create(settings);
        _schema = new(async ct =>
        {
            var version = await PostgresSchema.MigrateAsync(_dataSource, ct);
            Log.PostgresStoreReady(logger, settings.Host ?? "", settings.Database ?? "", version);
        });
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    public async Task SaveAsync(StoredResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await InitializeAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand(
            $"INSERT INTO results ({Columns}, json) VALUES (@id, @name, @at, @verdict, @summary, @json)");
        command.Parameters.AddWithValue("id", result.Id);
        command.Parameters.AddWithValue("name", Text(result.ServerName));
        command.Parameters.AddWithValue("at", result.CreatedAt.ToUniversalTime());
        command.Parameters.AddWithValue("verdict", Text(result.Verdict));
        command.Parameters.AddWithValue("summary", Text(result.Summary));
        command.Parameters.AddWithValue("json", result.Json);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<StoredResult?> GetAsync(string id, CancellationToken cancellationToken) => GetAsync(id, int.MaxValue, cancellationToken);

    public async Task<StoredResult?> GetAsync(string id, int maxJsonBytes, CancellationToken cancellationToken)
    {
        if (!ResultIds.IsWellFormed(id))
        {
            return null;
        }
        await InitializeAsync(cancellationToken);
        // octet_length of a TOASTed value is read from its header: a longer report is never fetched.
        await using var command = _dataSource.CreateCommand($"SELECT {Columns}, CASE WHEN octet_length(json) <= @max THEN json END FROM results WHERE id = @id{NotExpired()}");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("max", maxJsonBytes);
        AddCutoff(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var tooLarge = await reader.IsDBNullAsync(5, cancellationToken);
        return new StoredResult(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4), tooLarge ? "" : reader.GetString(5))
        {
            TooLarge = tooLarge,
        };
    }

    public async Task<IReadOnlyList<ResultSummary>> RecentAsync(string serverName, int limit, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand(
            $"SELECT {Columns} FROM results WHERE server_name = @name{NotExpired()} ORDER BY created_at DESC LIMIT @limit");
        command.Parameters.AddWithValue("name", Text(serverName));
        command.Parameters.AddWithValue("limit", limit);
        AddCutoff(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ResultSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ResultSummary(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4)));
        }
        return list;
    }

    public async Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO heartbeat (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = excluded.at");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand("DELETE FROM results WHERE created_at < @cutoff");
        command.Parameters.AddWithValue("cutoff", cutoff.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _schema.Dispose();
        await _dataSource.DisposeAsync();
    }

    public void Dispose()
    {
        _schema.Dispose();
        _dataSource.Dispose();
    }

    private static int Seconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));

    // PostgreSQL text cannot hold U+0000, and the stored name of an invalid input is the raw input, so a NUL becomes
    // U+FFFD instead of failing the save. (The report JSON is unaffected: the serializer escapes control characters.)
    private static string Text(string value) => value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;

    // Expired results disappear at once, not only when the cleanup next runs.
    private string NotExpired() => _options.RetentionDays == 0 ? "" : " AND created_at >= @cutoff";

    private void AddCutoff(NpgsqlCommand command)
    {
        if (_options.Cutoff(_time.GetUtcNow()) is { } cutoff)
        {
            command.Parameters.AddWithValue("cutoff", cutoff.ToUniversalTime());
        }
    }
}
