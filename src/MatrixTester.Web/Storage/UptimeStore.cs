using System.Globalization;

namespace MatrixTester.Web.Storage;

/// <summary>
/// Uptime from stored results, counted by the database: the results a scheduled check made or reused are marked
/// (<c>results.scheduled</c>), and one aggregate over their verdict column gives every window at once; no report is
/// loaded. A result is only as old as retention allows (Storage:RetentionDays), so the 90-day window covers what is kept.
/// </summary>
public sealed class UptimeStore(StoreDatabase database)
{
    private const string Worked = "verdict IN ('Works', 'WorksWithWarnings')";
    private const string Broken = "verdict = 'Broken'";
    private const string NotFinished = "verdict = 'Incomplete'";

    /// <summary>Marks a stored result as the outcome of a scheduled check.</summary>
    public Task MarkScheduledAsync(string id, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Write, async (connection, ct) =>
        {
            await using var command = StoreDatabase.Command(connection, "UPDATE results SET scheduled = 1 WHERE id = @id", ("id", id));
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task<Uptime> UptimeAsync(string serverName, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.UseAsync(StoreAccess.Read, async (connection, ct) =>
        {
            var columns = Uptime.Days.SelectMany(days => new[] { Worked, Broken, NotFinished }.Select(rule =>
                string.Create(CultureInfo.InvariantCulture, $"sum(CASE WHEN created_at >= @since{days} AND {rule} THEN 1 ELSE 0 END)")));
            var since = Uptime.Days.Select(days => ($"since{days}", database.Time(now.AddDays(-days)))).ToArray();
            await using var command = StoreDatabase.Command(connection,
                $"SELECT {string.Join(", ", columns)} FROM results WHERE server_name = @name AND scheduled = 1 AND created_at >= @since{Uptime.Days.Max()}",
                [("name", serverName), .. since.Select(s => (s.Item1, (object?)s.Item2))]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            // sum() over no rows is NULL.
            int Count(int ordinal) => reader.IsDBNull(ordinal) ? 0 : Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
            return new Uptime([.. Uptime.Days.Select((days, i) => new UptimeWindow(days, Count(i * 3), Count((i * 3) + 1), Count((i * 3) + 2)))]);
        }, cancellationToken);
}
