using System.Data.Common;
using System.Globalization;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Storage;
using static MatrixTester.Web.Federation.ProbeStore;

namespace MatrixTester.Web.Federation;

/// <summary>One request for our keys, with the source it is attributed by (IPv4 address or IPv6 /64).</summary>
public sealed record InboundRecord(DateTimeOffset At, string Source, string RemoteAddress, string AddressFamily, string? Sni, string? Host, string? UserAgent, string Path);

/// <summary>
/// Fetches of our keys in the site's database (<see cref="StoreDatabase"/>), attributed at read time: a probe sees
/// the rows whose source is one of its target's addresses, since it started. A row is written only for a fetch from some active
/// probe's target (at most one row per fetch, at most a few per source per minute), so a flood from anywhere else
/// writes nothing; it is only counted, per second, in bulk (<see cref="FetchTally"/>).
/// </summary>
public sealed class KeyFetchLog(StoreDatabase database)
{
    /// <summary>The window of the per-source cap.</summary>
    public static readonly TimeSpan CapWindow = TimeSpan.FromMinutes(1);

    // Sources whose cap was reached, until when this instance does not even try: a flood from a target's own address
    // costs one refused insert per source every few seconds, not one per fetch. Holds only active probes' sources.
    private static readonly TimeSpan FullFor = TimeSpan.FromSeconds(5);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _full = new(StringComparer.Ordinal);

    public bool IsFull(string source, DateTimeOffset now) => _full.TryGetValue(source, out var until) && until > now;

    public void MarkFull(string source, DateTimeOffset now)
    {
        foreach (var (old, until) in _full)
        {
            if (until <= now)
            {
                _full.TryRemove(old, out _);
            }
        }
        _full[source] = now + FullFor;
    }

    /// <summary>Keeps <paramref name="request"/> unless its source already has <paramref name="maxPerSource"/> rows in the last <see cref="CapWindow"/>; true when kept.</summary>
    public Task<bool> RecordAsync(InboundRecord request, int maxPerSource, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) => await ExecuteAsync(connection, """
            INSERT INTO key_fetches (id, source, at, remote_address, address_family, sni, host, user_agent, path)
            SELECT @rid, @source, @at, @remote, @family, @sni, @host, @ua, @path
            WHERE (SELECT count(*) FROM key_fetches WHERE source = @source AND at > @since) < @max
            """, ct, ("rid", ResultIds.New()), ("source", request.Source), ("at", Ms(request.At)), ("since", Ms(request.At - CapWindow)),
            ("remote", request.RemoteAddress), ("family", request.AddressFamily), ("sni", request.Sni), ("host", request.Host), ("ua", request.UserAgent),
            ("path", request.Path), ("max", maxPerSource)) > 0, cancellationToken);

    /// <summary>The fetches from <paramref name="probe"/>'s sources since it started, oldest first, at most <paramref name="max"/>.</summary>
    public Task<IReadOnlyList<InboundKeyRequest>> InboundAsync(StoredProbe probe, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (probe.Sources.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<InboundKeyRequest>>([]);
        }
        return database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            var names = probe.Sources.Select((_, i) => "@s" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            (string, object?)[] parameters = [("since", Ms(probe.StartedAt)), ("max", max), .. probe.Sources.Select((s, i) => (names[i][1..], (object?)s))];
            await using var command = StoreDatabase.Command(connection, $"""
                SELECT remote_address, address_family, sni, host, user_agent, path, at FROM key_fetches
                WHERE source IN ({string.Join(", ", names)}) AND at >= @since ORDER BY at, id LIMIT @max
                """, parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var list = new List<InboundKeyRequest>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new InboundKeyRequest(reader.GetString(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), reader.GetString(5),
                    Math.Max(0, reader.GetInt64(6) - Ms(probe.StartedAt))));
            }
            return (IReadOnlyList<InboundKeyRequest>)list;
        }, cancellationToken);
    }

    /// <summary>Adds per-second fetch counts (one statement per second that had fetches).</summary>
    public Task AddCountsAsync(IReadOnlyDictionary<long, long> perSecond, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            foreach (var (second, fetches) in perSecond)
            {
                await using var command = StoreDatabase.Command(connection, """
                    INSERT INTO key_fetch_counts (second, fetches) VALUES (@second, @fetches)
                    ON CONFLICT (second) DO UPDATE SET fetches = key_fetch_counts.fetches + excluded.fetches
                    """, ("second", second), ("fetches", fetches));
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);

    /// <summary>All fetches of our keys counted since <paramref name="since"/> (to the second), on every instance that flushed its tally.</summary>
    public Task<long> CountSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = StoreDatabase.Command(connection, "SELECT coalesce(sum(fetches), 0) FROM key_fetch_counts WHERE second >= @since",
                ("since", Ms(since) / 1000));
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }, cancellationToken);

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
