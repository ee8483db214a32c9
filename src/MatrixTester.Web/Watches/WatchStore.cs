using System.Data.Common;
using System.Text.Json;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Watches;

/// <summary>
/// Watches and monitor state in the site's database. The SQL is the common subset SQLite and PostgreSQL
/// share (named <c>@parameters</c>, <c>ON CONFLICT</c> upserts, times as Unix milliseconds), so one class serves both;
/// the tables and their migrations are in Storage (WatchTables).
/// </summary>
public sealed class WatchStore(StoreDatabase database)
{
    private const string Columns = "id, server_name, email, webhook_url, webhook_secret, confirm_token_hash, unsubscribe_token, created_at, confirmed_at, language";

    public async Task AddAsync(Watch watch, CancellationToken cancellationToken)
    {
        await database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            await using var command = Command(connection, $"INSERT INTO watches ({Columns}, mailbox) VALUES (@id, @name, @email, @url, @secret, @confirm, @unsubscribe, @created, @confirmed, @language, @mailbox)",
                ("id", watch.Id), ("name", watch.ServerName), ("email", watch.Email), ("url", watch.WebhookUrl), ("secret", watch.WebhookSecret),
                ("mailbox", watch.Email is null ? null : MailAddresses.Mailbox(watch.Email)),
                ("confirm", watch.ConfirmTokenHash), ("unsubscribe", watch.UnsubscribeToken), ("created", watch.CreatedAt.ToUnixTimeMilliseconds()),
                ("confirmed", watch.ConfirmedAt?.ToUnixTimeMilliseconds()), ("language", watch.Language));
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public Task<long> CountForServerAsync(string serverName, CancellationToken cancellationToken) =>
        CountAsync("server_name = @v", serverName, cancellationToken);

    /// <summary>Watches of every address that delivers to <paramref name="mailbox"/> (<see cref="MailAddresses.Mailbox"/>).</summary>
    public Task<long> CountForMailboxAsync(string mailbox, CancellationToken cancellationToken) =>
        CountAsync("mailbox = @v", mailbox, cancellationToken);

    public async Task<Watch?> FindByConfirmTokenAsync(string token, CancellationToken cancellationToken) =>
        (await QueryAsync("confirm_token_hash = @v", WatchTokens.Hash(token), cancellationToken)).FirstOrDefault();

    public async Task<Watch?> FindByUnsubscribeTokenAsync(string token, CancellationToken cancellationToken) =>
        (await QueryAsync("unsubscribe_token = @v", token, cancellationToken)).FirstOrDefault();

    /// <summary>Confirmed watches of a server name: who gets told.</summary>
    public async Task<IReadOnlyList<Watch>> ActiveAsync(string serverName, CancellationToken cancellationToken) =>
        [.. (await QueryAsync("server_name = @v", serverName, cancellationToken)).Where(w => w.IsActive)];

    public async Task<IReadOnlyList<string>> WatchedServerNamesAsync(CancellationToken cancellationToken)
    {
        return await database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = Command(connection, "SELECT DISTINCT server_name FROM watches WHERE confirmed_at IS NOT NULL");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var names = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                names.Add(reader.GetString(0));
            }
            return names;
        }, cancellationToken);
    }

    public async Task ConfirmAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            // The token is spent: a second click finds nothing rather than confirming again.
            await using var command = Command(connection, "UPDATE watches SET confirmed_at = @at, confirm_token_hash = NULL WHERE id = @id",
                ("at", at.ToUnixTimeMilliseconds()), ("id", id));
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            await using var command = Command(connection, "DELETE FROM watches WHERE id = @id", ("id", id));
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public async Task<MonitorState?> StateAsync(string serverName, CancellationToken cancellationToken)
    {
        return await database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = Command(connection, "SELECT last_result_id, alerted_buckets FROM monitor_state WHERE server_name = @name", ("name", serverName));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? new MonitorState(serverName, reader.IsDBNull(0) ? null : reader.GetString(0), JsonSerializer.Deserialize<string[]>(reader.GetString(1)) ?? [])
                : null;
        }, cancellationToken);
    }

    public async Task SaveStateAsync(MonitorState state, CancellationToken cancellationToken)
    {
        await database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            await using var command = Command(connection, """
                INSERT INTO monitor_state (server_name, last_result_id, alerted_buckets) VALUES (@name, @last, @buckets)
                ON CONFLICT (server_name) DO UPDATE SET last_result_id = excluded.last_result_id, alerted_buckets = excluded.alerted_buckets
                """, ("name", state.ServerName), ("last", state.LastResultId), ("buckets", JsonSerializer.Serialize(state.AlertedExpiryBuckets)));
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    private async Task<long> CountAsync(string where, string value, CancellationToken cancellationToken)
    {
        return await database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = Command(connection, $"SELECT count(*) FROM watches WHERE {where}", ("v", value));
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    private async Task<List<Watch>> QueryAsync(string where, string value, CancellationToken cancellationToken)
    {
        return await database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = Command(connection, $"SELECT {Columns} FROM watches WHERE {where}", ("v", value));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var list = new List<Watch>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new Watch(reader.GetString(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5), reader.GetString(6),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                    MatrixTester.Diagnostics.Languages.Match(Text(reader, 9), allowPseudo: true) ?? MatrixTester.Diagnostics.Languages.English));
            }
            return list;
        }, cancellationToken);
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    internal static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        StoreDatabase.Command(connection, sql, parameters);
}
