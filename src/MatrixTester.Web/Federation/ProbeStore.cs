using System.Data.Common;
using System.Globalization;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Federation;

/// <summary>A probe key as stored: every instance can serve and sign with it until it expires.</summary>
/// <param name="Sources">The target's addresses (IPv4 address, IPv6 /64): fetches from these are attributed to the probe.</param>
public sealed record StoredProbe(SigningKey Key, string Target, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt, IReadOnlyList<string> Sources);

/// <summary>A probe to start: for <paramref name="Client"/> (null: no visitor asked, e.g. a watch).</summary>
public sealed record ProbeStart(string Target, SigningKey Key, string? Client, IReadOnlyList<string> Sources);

/// <summary>The limits a start and a release obey (from <see cref="FederationOptions"/>).</summary>
/// <param name="Linger">How long a released probe is still served, for fetches already on their way.</param>
public sealed record ProbeLimits(TimeSpan Lifetime, TimeSpan Reuse, int MaxActive, int MaxPerClient, TimeSpan Linger)
{
    public static ProbeLimits From(FederationOptions options) =>
        new(options.ProbeLifetime, options.ProbeReuse, options.MaxActiveProbes, options.MaxActiveProbesPerClient, ProbeStore.Linger);
}

/// <summary>A started (or reused) probe, or why there is none and when one frees up.</summary>
public sealed record ProbeGrant(StoredProbe? Probe, ProbeRefusal? Refusal);

/// <summary>No probe now: every probe is in use (<see cref="PerClient"/> false), or the client's share is; one expires at <see cref="FreesAt"/> at the latest.</summary>
public sealed record ProbeRefusal(bool PerClient, int Limit, DateTimeOffset FreesAt);

/// <summary>
/// Probe keys in the site's database (<see cref="StoreDatabase"/>; the tables are Storage's ProbeTables). The SQL is
/// the subset SQLite and PostgreSQL share, so one class serves both. Every call goes through the store's circuit (a
/// dead store fails fast with <see cref="StoreUnavailableException"/>). A probe is held by the checks that use it and, once the last one
/// released it, served for <see cref="Linger"/> more (at least until the reuse window ends), not its whole lifetime:
/// the lifetime only bounds a probe whose instance died before releasing it.
/// </summary>
public sealed class ProbeStore(StoreDatabase database)
{
    /// <summary>Long enough for a fetch already on its way (a peer retrying, a notary fetching for it) to be served.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(30);

    private const string KeyColumns = "k.key_id, k.target, k.seed, k.started_at, k.expires_at, k.sources";

    /// <summary>
    /// The probe of the target started within the reuse window (now held once more), or else the new key as a new
    /// probe, if the caps allow. Two instances starting a probe of the same target at once agree on one: the
    /// per-target slot is taken with a conditional upsert, and the loser drops its key and returns the winner's.
    /// </summary>
    public Task<ProbeGrant> StartAsync(ProbeStart start, DateTimeOffset now, ProbeLimits limits, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            // Stored in milliseconds: a probe read back on another instance starts at the very same instant.
            now = DateTimeOffset.FromUnixTimeMilliseconds(Ms(now));
            await DeleteExpiredAsync(connection, now, limits.Lifetime, ct);
            var reuseSince = Ms(now - limits.Reuse);
            if (await FindForTargetAsync(connection, start.Target, reuseSince, ct) is { } existing)
            {
                return new ProbeGrant(await HoldAsync(connection, existing, limits, ct), null);
            }
            if (await RefusalAsync(connection, start.Client, limits, ct) is { } refusal)
            {
                return new ProbeGrant(null, refusal);
            }
            var probe = new StoredProbe(start.Key, start.Target, now, now + limits.Lifetime, start.Sources);
            await ExecuteAsync(connection, """
                INSERT INTO probe_keys (key_id, target, seed, started_at, expires_at, client, sources, holders)
                VALUES (@id, @target, @seed, @started, @expires, @client, @sources, 1)
                """, ct, ("id", start.Key.KeyId), ("target", start.Target), ("seed", UnpaddedBase64.Encode(start.Key.ExportSeed())), ("started", Ms(now)),
                ("expires", Ms(probe.ExpiresAt)), ("client", start.Client), ("sources", string.Join(' ', start.Sources)));
            await ExecuteAsync(connection, """
                INSERT INTO probe_targets (target, key_id, started_at) VALUES (@target, @id, @started)
                ON CONFLICT (target) DO UPDATE SET key_id = excluded.key_id, started_at = excluded.started_at
                WHERE probe_targets.started_at < @since
                """, ct, ("target", start.Target), ("id", start.Key.KeyId), ("started", Ms(now)), ("since", reuseSince));
            if (await FindForTargetAsync(connection, start.Target, reuseSince, ct) is { } winner && winner.Key.KeyId != start.Key.KeyId)
            {
                await ExecuteAsync(connection, "DELETE FROM probe_keys WHERE key_id = @id", ct, ("id", start.Key.KeyId));
                return new ProbeGrant(await HoldAsync(connection, winner, limits, ct), null);
            }
            return new ProbeGrant(probe, null);
        }, cancellationToken);

    /// <summary>
    /// One check is done with <paramref name="probe"/>. When it was the last, the probe is served until
    /// <see cref="ProbeLimits.Linger"/> from now, or the end of its reuse window if that is later (one probe per
    /// target per reuse window holds), never longer than it would have been.
    /// </summary>
    public Task ReleaseAsync(StoredProbe probe, DateTimeOffset now, ProbeLimits limits, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            var linger = Ms(now + limits.Linger) > Ms(probe.StartedAt + limits.Reuse) ? now + limits.Linger : probe.StartedAt + limits.Reuse;
            return await ExecuteAsync(connection, """
                UPDATE probe_keys SET holders = holders - 1,
                    expires_at = CASE WHEN holders <= 1 AND expires_at > @released THEN @released ELSE expires_at END
                WHERE key_id = @id AND holders > 0
                """, ct, ("id", probe.Key.KeyId), ("released", Ms(linger)));
        }, cancellationToken);

    /// <summary>Probe keys being served at <paramref name="now"/>, newest first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<StoredProbe>> ActiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = StoreDatabase.Command(connection, $"SELECT {KeyColumns} FROM probe_keys k WHERE k.expires_at > @now ORDER BY k.started_at DESC, k.key_id LIMIT @limit",
                ("now", Ms(now)), ("limit", limit));
            return await ReadProbesAsync(command, ct);
        }, cancellationToken);

    /// <summary>Deletes expired probes with their seeds and slots, and fetches and counts older than a lifetime; returns how many probes.</summary>
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, (connection, ct) => DeleteExpiredAsync(connection, now, lifetime, ct), cancellationToken);

    private static async Task<int> DeleteExpiredAsync(DbConnection connection, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var at = ("now", (object?)Ms(now));
        await ExecuteAsync(connection, "DELETE FROM probe_targets WHERE key_id IN (SELECT key_id FROM probe_keys WHERE expires_at <= @now)", cancellationToken, at);
        await ExecuteAsync(connection, "DELETE FROM key_fetches WHERE at <= @before", cancellationToken, ("before", Ms(now - lifetime)));
        await ExecuteAsync(connection, "DELETE FROM key_fetch_counts WHERE second <= @before", cancellationToken, ("before", Ms(now - lifetime) / 1000));
        return await ExecuteAsync(connection, "DELETE FROM probe_keys WHERE expires_at <= @now", cancellationToken, at);
    }

    /// <summary>A reused probe is held once more and served its whole lifetime again (a release may have shortened it).</summary>
    private static async Task<StoredProbe> HoldAsync(DbConnection connection, StoredProbe probe, ProbeLimits limits, CancellationToken cancellationToken)
    {
        var expires = probe.StartedAt + limits.Lifetime;
        await ExecuteAsync(connection, "UPDATE probe_keys SET holders = holders + 1, expires_at = @expires WHERE key_id = @id", cancellationToken,
            ("id", probe.Key.KeyId), ("expires", Ms(expires)));
        return probe with { ExpiresAt = expires };
    }

    /// <summary>Null when the caps allow one more probe; else which cap is full and when its first probe expires.</summary>
    private static async Task<ProbeRefusal?> RefusalAsync(DbConnection connection, string? client, ProbeLimits limits, CancellationToken cancellationToken)
    {
        var (all, allFree) = await CountAsync(connection, "SELECT count(*), min(expires_at) FROM probe_keys", cancellationToken);
        if (all >= limits.MaxActive)
        {
            return new ProbeRefusal(false, limits.MaxActive, allFree);
        }
        if (client is null)
        {
            return null;
        }
        var (mine, mineFree) = await CountAsync(connection, "SELECT count(*), min(expires_at) FROM probe_keys WHERE client = @client", cancellationToken, ("client", client));
        return mine >= limits.MaxPerClient ? new ProbeRefusal(true, limits.MaxPerClient, mineFree) : null;
    }

    private static async Task<(long Count, DateTimeOffset FirstExpiry)> CountAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = StoreDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var count = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        return (count, reader.IsDBNull(1) ? DateTimeOffset.MinValue : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
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
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                    reader.GetString(5).Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
        }
        return list;
    }

    internal static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = StoreDatabase.Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
