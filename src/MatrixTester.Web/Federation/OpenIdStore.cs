using System.Data.Common;
using System.Globalization;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Web.Storage;
using static MatrixTester.Web.Federation.ProbeStore;

namespace MatrixTester.Web.Federation;

/// <summary>A live token as our userinfo endpoint needs it: whose it is and which check and grant it belongs to.</summary>
public sealed record LiveToken(string TokenHash, string CheckId, int Grant, string UserId, DateTimeOffset StartedAt);

/// <summary>A token check to start: its tokens (hashes and users), for whom (<paramref name="Client"/>; null: no visitor asked).</summary>
public sealed record TokenCheckStart(string CheckId, string Target, string? Client, IReadOnlyList<(string TokenHash, string UserId)> Tokens);

/// <summary>The limits a start obeys (from <see cref="FederationOptions"/>).</summary>
public sealed record TokenCheckLimits(TimeSpan Lifetime, TimeSpan Interval, int MaxActive, int MaxPerClient)
{
    public static TokenCheckLimits From(FederationOptions options) =>
        new(options.TokenLifetime, options.TokenCheckInterval, options.MaxActiveTokenChecks, options.MaxActiveTokenChecksPerClient);

    /// <summary>How long slots and call-backs are kept: the longer of a token's life and the interval between checks.</summary>
    public TimeSpan Keep => Lifetime > Interval ? Lifetime : Interval;
}

/// <summary>
/// The call token check's OpenID tokens and call-backs in the site's database (<see cref="StoreDatabase"/>; the
/// tables are Storage's ProbeTables; the SQL both dialects share), so whichever instance a service's call-back lands
/// on answers it and records it for the instance that runs the check. Tokens are stored as SHA-256 hashes only.
/// </summary>
public sealed class OpenIdStore(StoreDatabase database)
{
    /// <summary>
    /// Starts the check unless the target had one within the interval, or the caps are full; then the refusal in
    /// words. Two instances starting a check of one target at once agree on one: the slot is a conditional upsert.
    /// </summary>
    public Task<string?> StartAsync(TokenCheckStart start, DateTimeOffset now, TokenCheckLimits limits, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            await DeleteExpiredAsync(connection, now, limits.Keep, ct);
            var since = Ms(now - limits.Interval);
            if (await SlotAsync(connection, start.Target, since, ct) is { } taken)
            {
                return $"a call token check of this server ran less than {Words(limits.Interval)} ago; the next one can run {FederationIdentity.Within(taken + limits.Interval - now)}";
            }
            var (all, allFree) = await CountAsync(connection, "SELECT count(DISTINCT check_id), min(expires_at) FROM openid_tokens WHERE expires_at > @now", ct, ("now", Ms(now)));
            if (all >= limits.MaxActive)
            {
                return $"all {limits.MaxActive} call token checks of this tester are in use; the next one frees up {FederationIdentity.Within(allFree - now)}";
            }
            if (start.Client is not null)
            {
                var (mine, mineFree) = await CountAsync(connection, "SELECT count(DISTINCT check_id), min(expires_at) FROM openid_tokens WHERE expires_at > @now AND client = @client", ct,
                    ("now", Ms(now)), ("client", start.Client));
                if (mine >= limits.MaxPerClient)
                {
                    return $"the address that asked for this test already has {mine} call token checks running, the most one address may have at once; one frees up {FederationIdentity.Within(mineFree - now)}";
                }
            }
            await ExecuteAsync(connection, """
                INSERT INTO openid_targets (target, check_id, started_at) VALUES (@target, @id, @started)
                ON CONFLICT (target) DO UPDATE SET check_id = excluded.check_id, started_at = excluded.started_at
                WHERE openid_targets.started_at < @since
                """, ct, ("target", start.Target), ("id", start.CheckId), ("started", Ms(now)), ("since", since));
            await using (var winner = StoreDatabase.Command(connection, "SELECT check_id FROM openid_targets WHERE target = @target", ("target", start.Target)))
            {
                if (await winner.ExecuteScalarAsync(ct) as string != start.CheckId)
                {
                    return $"a call token check of this server ran less than {Words(limits.Interval)} ago; the next one can run {FederationIdentity.Within(limits.Interval)}";
                }
            }
            for (var i = 0; i < start.Tokens.Count; i++)
            {
                await ExecuteAsync(connection, """
                    INSERT INTO openid_tokens (token_hash, check_id, grant_index, user_id, target, client, started_at, expires_at)
                    VALUES (@hash, @id, @grant, @user, @target, @client, @started, @expires)
                    """, ct, ("hash", start.Tokens[i].TokenHash), ("id", start.CheckId), ("grant", i), ("user", start.Tokens[i].UserId), ("target", start.Target),
                    ("client", start.Client), ("started", Ms(now)), ("expires", Ms(now + limits.Lifetime)));
            }
            return (string?)null;
        }, cancellationToken);

    /// <summary>The check is over: its tokens stop working now (the target's slot stays until its interval ends).</summary>
    public Task ReleaseAsync(string checkId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, (connection, ct) => ExecuteAsync(connection, "UPDATE openid_tokens SET expires_at = @now WHERE check_id = @id AND expires_at > @now", ct,
            ("id", checkId), ("now", Ms(now))), cancellationToken);

    /// <summary>The live token with this hash, or null (unknown, expired or released).</summary>
    public Task<LiveToken?> FindAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = StoreDatabase.Command(connection,
                "SELECT token_hash, check_id, grant_index, user_id, started_at FROM openid_tokens WHERE token_hash = @hash AND expires_at > @now",
                ("hash", tokenHash), ("now", Ms(now)));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? new LiveToken(reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)))
                : null;
        }, cancellationToken);

    /// <summary>Keeps a call-back unless its token already has <paramref name="max"/>; true when kept.</summary>
    public Task<bool> RecordAsync(LiveToken token, DateTimeOffset at, string remoteAddress, string family, string? userAgent, int max, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) => await ExecuteAsync(connection, """
            INSERT INTO openid_callbacks (id, check_id, grant_index, at, remote_address, address_family, user_agent)
            SELECT @rid, @id, @grant, @at, @remote, @family, @ua
            WHERE (SELECT count(*) FROM openid_callbacks WHERE check_id = @id AND grant_index = @grant) < @max
            """, ct, ("rid", ResultIds.New()), ("id", token.CheckId), ("grant", token.Grant), ("at", Ms(at)), ("remote", remoteAddress), ("family", family),
            ("ua", userAgent), ("max", max)) > 0, cancellationToken);

    /// <summary>The check's call-backs, oldest first, at most <paramref name="max"/>.</summary>
    public Task<IReadOnlyList<OpenIdCallback>> CallbacksAsync(string checkId, DateTimeOffset startedAt, int max, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = StoreDatabase.Command(connection, """
                SELECT grant_index, remote_address, address_family, user_agent, at FROM openid_callbacks
                WHERE check_id = @id ORDER BY at, id LIMIT @max
                """, ("id", checkId), ("max", max));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var list = new List<OpenIdCallback>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new OpenIdCallback(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), Math.Max(0, reader.GetInt64(4) - Ms(startedAt))));
            }
            return (IReadOnlyList<OpenIdCallback>)list;
        }, cancellationToken);

    /// <summary>Deletes expired tokens, and slots and call-backs older than <paramref name="keep"/> (<see cref="TokenCheckLimits.Keep"/>).</summary>
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, TimeSpan keep, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, (connection, ct) => DeleteExpiredAsync(connection, now, keep, ct), cancellationToken);

    private static async Task<int> DeleteExpiredAsync(DbConnection connection, DateTimeOffset now, TimeSpan keep, CancellationToken cancellationToken)
    {
        var before = ("before", (object?)Ms(now - keep));
        await ExecuteAsync(connection, "DELETE FROM openid_targets WHERE started_at <= @before", cancellationToken, before);
        await ExecuteAsync(connection, "DELETE FROM openid_callbacks WHERE at <= @before", cancellationToken, before);
        return await ExecuteAsync(connection, "DELETE FROM openid_tokens WHERE expires_at <= @now", cancellationToken, ("now", Ms(now)));
    }

    private static async Task<DateTimeOffset?> SlotAsync(DbConnection connection, string target, long since, CancellationToken cancellationToken)
    {
        await using var command = StoreDatabase.Command(connection, "SELECT started_at FROM openid_targets WHERE target = @target AND started_at >= @since",
            ("target", target), ("since", since));
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture)) : null;
    }

    private static async Task<(long Count, DateTimeOffset FirstExpiry)> CountAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = StoreDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var count = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        return (count, reader.IsDBNull(1) ? DateTimeOffset.MinValue : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
    }

    private static string Words(TimeSpan interval) => interval.TotalSeconds <= 60 ? "a minute" : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(interval.TotalMinutes)} minutes");
}
