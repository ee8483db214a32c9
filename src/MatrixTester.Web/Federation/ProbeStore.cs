using System.Data.Common;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Permalinks;

namespace MatrixTester.Web.Federation;

/// <summary>A probe key as stored: every instance can serve and sign with it until it expires.</summary>
public sealed record StoredProbe(SigningKey Key, string Target, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt);

/// <summary>One recorded request for our keys, before it is attributed to probes.</summary>
public sealed record InboundRecord(DateTimeOffset At, string RemoteAddress, string AddressFamily, string? Sni, string? Host, string? UserAgent, string Path);

/// <summary>
/// Probe keys and the inbound log in <see cref="FederationDatabase"/>. The SQL is the subset SQLite and PostgreSQL
/// share, so one class serves both. Every call goes through the store's circuit (a dead store fails fast with
/// <see cref="StoreUnavailableException"/>).
/// </summary>
public sealed class ProbeStore(FederationDatabase database)
{
    private const string KeyColumns = "k.key_id, k.target, k.seed, k.started_at, k.expires_at";

    /// <summary>
    /// The probe of <paramref name="target"/> started within <paramref name="reuse"/>, or else <paramref name="key"/>
    /// as a new one. Two instances starting a probe of the same target at once agree on one: the per-target slot is
    /// taken with a conditional upsert, and the loser drops its key and returns the winner's.
    /// </summary>
    public Task<StoredProbe> StartAsync(string target, SigningKey key, DateTimeOffset now, TimeSpan lifetime, TimeSpan reuse, int maxActive, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            // Stored in milliseconds: a probe read back on another instance starts at the very same instant.
            now = DateTimeOffset.FromUnixTimeMilliseconds(Ms(now));
            await DeleteExpiredAsync(connection, now, ct);
            var reuseSince = Ms(now - reuse);
            if (await FindForTargetAsync(connection, target, reuseSince, ct) is { } existing)
            {
                return existing;
            }
            await using (var count = StoreDatabase.Command(connection, "SELECT count(*) FROM probe_keys"))
            {
                if (Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) >= maxActive)
                {
                    throw new ProbeUnavailableException($"{maxActive} two-way probes are running already; try again in a minute.", reuse);
                }
            }
            var probe = new StoredProbe(key, target, now, now + lifetime);
            await ExecuteAsync(connection, "INSERT INTO probe_keys (key_id, target, seed, started_at, expires_at) VALUES (@id, @target, @seed, @started, @expires)", ct,
                ("id", key.KeyId), ("target", target), ("seed", UnpaddedBase64.Encode(key.ExportSeed())), ("started", Ms(now)), ("expires", Ms(probe.ExpiresAt)));
            await ExecuteAsync(connection, """
                INSERT INTO probe_targets (target, key_id, started_at) VALUES (@target, @id, @started)
                ON CONFLICT (target) DO UPDATE SET key_id = excluded.key_id, started_at = excluded.started_at
                WHERE probe_targets.started_at < @since
                """, ct, ("target", target), ("id", key.KeyId), ("started", Ms(now)), ("since", reuseSince));
            if (await FindForTargetAsync(connection, target, reuseSince, ct) is { } winner && winner.Key.KeyId != key.KeyId)
            {
                await ExecuteAsync(connection, "DELETE FROM probe_keys WHERE key_id = @id", ct, ("id", key.KeyId));
                return winner;
            }
            return probe;
        }, cancellationToken);

    /// <summary>Probe keys being served at <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<StoredProbe>> ActiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = StoreDatabase.Command(connection, $"SELECT {KeyColumns} FROM probe_keys k WHERE k.expires_at > @now ORDER BY k.started_at, k.key_id LIMIT @limit",
                ("now", Ms(now)), ("limit", limit));
            return await ReadProbesAsync(command, ct);
        }, cancellationToken);

    /// <summary>Attributes one request to each of <paramref name="keyIds"/>, keeping at most <paramref name="maxPerProbe"/> rows per probe.</summary>
    public Task RecordAsync(IReadOnlyCollection<string> keyIds, InboundRecord request, int maxPerProbe, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            foreach (var keyId in keyIds)
            {
                await ExecuteAsync(connection, """
                    INSERT INTO probe_inbound (id, key_id, at, remote_address, address_family, sni, host, user_agent, path)
                    SELECT @rid, @key, @at, @remote, @family, @sni, @host, @ua, @path
                    WHERE (SELECT count(*) FROM probe_inbound WHERE key_id = @key) < @max
                    """, ct, ("rid", ResultIds.New()), ("key", keyId), ("at", Ms(request.At)), ("remote", request.RemoteAddress), ("family", request.AddressFamily),
                    ("sni", request.Sni), ("host", request.Host), ("ua", request.UserAgent), ("path", request.Path), ("max", maxPerProbe));
            }
        }, cancellationToken);

    /// <summary>The requests attributed to a probe, oldest first, with their time since the probe started.</summary>
    public Task<IReadOnlyList<InboundKeyRequest>> InboundAsync(string keyId, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = StoreDatabase.Command(connection,
                "SELECT remote_address, address_family, sni, host, user_agent, path, at FROM probe_inbound WHERE key_id = @key ORDER BY at, id", ("key", keyId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var list = new List<InboundKeyRequest>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new InboundKeyRequest(reader.GetString(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), reader.GetString(5),
                    Math.Max(0, reader.GetInt64(6) - Ms(startedAt))));
            }
            return (IReadOnlyList<InboundKeyRequest>)list;
        }, cancellationToken);

    /// <summary>Deletes expired probes with their seeds, slots and inbound rows; returns how many probes.</summary>
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, (connection, ct) => DeleteExpiredAsync(connection, now, ct), cancellationToken);

    private static async Task<int> DeleteExpiredAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = ("now", (object?)Ms(now));
        await ExecuteAsync(connection, "DELETE FROM probe_inbound WHERE key_id IN (SELECT key_id FROM probe_keys WHERE expires_at <= @now)", cancellationToken, at);
        await ExecuteAsync(connection, "DELETE FROM probe_targets WHERE key_id IN (SELECT key_id FROM probe_keys WHERE expires_at <= @now)", cancellationToken, at);
        return await ExecuteAsync(connection, "DELETE FROM probe_keys WHERE expires_at <= @now", cancellationToken, at);
    }

    private static async Task<StoredProbe?> FindForTargetAsync(DbConnection connection, string target, long since, CancellationToken cancellationToken)
    {
        await using var command = StoreDatabase.Command(connection,
            $"SELECT {KeyColumns} FROM probe_targets t JOIN probe_keys k ON k.key_id = t.key_id WHERE t.target = @target AND t.started_at >= @since",
            ("target", target), ("since", since));
        var found = await ReadProbesAsync(command, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    private static async Task<IReadOnlyList<StoredProbe>> ReadProbesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<StoredProbe>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // A seed that does not decode is a damaged row: skip it rather than fail every key request.
            if (UnpaddedBase64.TryDecode(reader.GetString(2), out var seed, out _) && seed.Length == Ed25519.SeedLength)
            {
                list.Add(new StoredProbe(new SigningKey(reader.GetString(0), seed), reader.GetString(1),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
            }
        }
        return list;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = StoreDatabase.Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
