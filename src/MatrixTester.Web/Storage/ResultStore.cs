using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Storage;

/// <summary>
/// Results in the site's database (<see cref="StoreDatabase"/>): the SQLite file of a single instance, or the
/// PostgreSQL every instance shares, so a permalink made on one instance opens on all of them. The SQL is the subset
/// both dialects share; only times differ (fixed-width ISO 8601 UTC text in SQLite, timestamptz in PostgreSQL).
/// </summary>
public sealed class ResultStore(StoreDatabase database, IOptions<StorageOptions> options, TimeProvider time) : IResultStore
{
    private const string Columns = "id, server_name, created_at, verdict, summary";

    public async Task SaveAsync(StoredResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = StoreDatabase.Command(connection, $"INSERT INTO results ({Columns}, json) VALUES (@id, @name, @at, @verdict, @summary, @json)",
            ("id", result.Id), ("name", Text(result.ServerName)), ("at", Time(result.CreatedAt)), ("verdict", Text(result.Verdict)),
            ("summary", Text(result.Summary)), ("json", result.Json)))
        {
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (result.Facts.Count > 0)
        {
            await using var facts = StatisticsStore.Insert(connection, Time(result.CreatedAt), result.Id, result.ServerName, result.Facts);
            facts.Transaction = transaction;
            await facts.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<StoredResult?> GetAsync(string id, CancellationToken cancellationToken) => GetAsync(id, int.MaxValue, cancellationToken);

    public async Task<StoredResult?> GetAsync(string id, int maxJsonBytes, CancellationToken cancellationToken)
    {
        if (!ResultIds.IsWellFormed(id))
        {
            return null;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        // octet_length reads the size from the record header (SQLite) or the TOAST header (PostgreSQL): a longer
        // report is never loaded.
        await using var command = StoreDatabase.Command(connection,
            $"SELECT {Columns}, CASE WHEN octet_length(json) <= @max THEN json END FROM results WHERE id = @id{NotExpired(out var cutoff)}",
            [("id", id), ("max", maxJsonBytes), .. cutoff]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var tooLarge = await reader.IsDBNullAsync(5, cancellationToken);
        return new StoredResult(reader.GetString(0), reader.GetString(1), ReadTime(reader, 2), reader.GetString(3), reader.GetString(4), tooLarge ? "" : reader.GetString(5))
        {
            TooLarge = tooLarge,
        };
    }

    public async Task<IReadOnlyList<ResultSummary>> RecentAsync(string serverName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreDatabase.Command(connection,
            $"SELECT {Columns} FROM results WHERE server_name = @name{NotExpired(out var cutoff)} ORDER BY created_at DESC LIMIT @limit",
            [("name", Text(serverName)), ("limit", limit), .. cutoff]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ResultSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ResultSummary(reader.GetString(0), reader.GetString(1), ReadTime(reader, 2), reader.GetString(3), reader.GetString(4)));
        }
        return list;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public Task ProbeWriteAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO heartbeat (id, at) VALUES (1, @at) ON CONFLICT (id) DO UPDATE SET at = excluded.at", cancellationToken,
            ("at", Time(time.GetUtcNow())));

    public async Task<int> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // The statistics' facts of a result go with it: nothing is counted longer than it is kept.
        await ExecuteAsync("DELETE FROM result_facts WHERE created_at < @cutoff", cancellationToken, ("cutoff", Time(cutoff)));
        return await ExecuteAsync("DELETE FROM results WHERE created_at < @cutoff", cancellationToken, ("cutoff", Time(cutoff)));
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreDatabase.Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Expired results disappear at once, not only when the cleanup next runs.
    private string NotExpired(out (string, object?)[] cutoff)
    {
        if (options.Value.Cutoff(time.GetUtcNow()) is not { } at)
        {
            cutoff = [];
            return "";
        }
        cutoff = [("cutoff", Time(at))];
        return " AND created_at >= @cutoff";
    }

    // Fixed-width ISO 8601 UTC text orders as the instants do, so SQLite compares and sorts it as text.
    private object Time(DateTimeOffset value) =>
        database.IsPostgres ? value.ToUniversalTime() : value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => database.IsPostgres
        ? reader.GetFieldValue<DateTimeOffset>(ordinal)
        : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    // PostgreSQL text cannot hold U+0000, and the stored name of an invalid input is the raw input, so a NUL becomes
    // U+FFFD instead of failing the save. (The report JSON is unaffected: the serializer escapes control characters.)
    private string Text(string value) =>
        database.IsPostgres && value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;
}
