using System.Globalization;

namespace MatrixTester.Web.Storage;

/// <summary>How many servers have each value of each kind, over their latest result in a period.</summary>
public sealed record FactCounts(int Servers, IReadOnlyDictionary<string, IReadOnlyList<(string Value, int Servers)>> ByKind)
{
    public IReadOnlyList<(string Value, int Servers)> Of(string kind) => ByKind.GetValueOrDefault(kind) ?? [];
}

/// <summary>
/// The statistics' facts (<c>result_facts</c>): written with each stored result, counted by one SQL aggregate on
/// either database. Each server counts once, by its latest result in the period (a window function picks it), so a
/// name tested a hundred times weighs what a name tested once does.
/// </summary>
public sealed class StatisticsStore(StoreDatabase database)
{
    /// <summary>The kind every result has, which names its latest result per server.</summary>
    public const string AnchorKind = "verdict";

    /// <summary>Adds the facts of a stored result (the site writes them with the result itself: <see cref="StoredResult.Facts"/>).</summary>
    public Task AddAsync(string resultId, string serverName, DateTimeOffset createdAt, IReadOnlyList<(string Kind, string Value)> facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.Count == 0 ? Task.CompletedTask : database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            await using var command = Insert(connection, database.Time(createdAt), resultId, serverName, facts);
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <summary>One INSERT of every fact of one result.</summary>
    internal static System.Data.Common.DbCommand Insert(System.Data.Common.DbConnection connection, object createdAt, string resultId, string serverName,
        IReadOnlyList<(string Kind, string Value)> facts)
    {
        var rows = facts.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"(@id, @name, @at, @k{i}, @v{i})"));
        var parameters = facts.SelectMany((f, i) => new (string, object?)[] { ($"k{i}", f.Kind), ($"v{i}", f.Value.Replace('\0', '\uFFFD')) });
        return StoreDatabase.Command(connection,
            $"INSERT INTO result_facts (result_id, server_name, created_at, kind, value) VALUES {string.Join(", ", rows)}",
            [("id", resultId), ("name", serverName.Replace('\0', '\uFFFD')), ("at", createdAt), .. parameters]);
    }

    public Task<FactCounts> CountAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            await using var command = StoreDatabase.Command(connection, $"""
                WITH latest AS (
                    SELECT result_id FROM (
                        SELECT result_id, ROW_NUMBER() OVER (PARTITION BY server_name ORDER BY created_at DESC, result_id) AS n
                        FROM result_facts WHERE kind = '{AnchorKind}' AND created_at >= @since) ranked
                    WHERE n = 1)
                SELECT kind, value, count(*) FROM result_facts
                WHERE created_at >= @since AND result_id IN (SELECT result_id FROM latest)
                GROUP BY kind, value
                """, ("since", database.Time(since)));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var byKind = new Dictionary<string, List<(string, int)>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                var kind = reader.GetString(0);
                if (!byKind.TryGetValue(kind, out var list))
                {
                    byKind[kind] = list = [];
                }
                list.Add((reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
            }
            var sorted = byKind.ToDictionary(p => p.Key, p => (IReadOnlyList<(string, int)>)[.. p.Value.OrderByDescending(v => v.Item2).ThenBy(v => v.Item1, StringComparer.Ordinal)],
                StringComparer.Ordinal);
            var servers = sorted.GetValueOrDefault(AnchorKind)?.Sum(v => v.Item2) ?? 0;
            return new FactCounts(servers, sorted);
        }, cancellationToken);
}
