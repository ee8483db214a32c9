using Npgsql;

namespace MatrixTester.Web.Storage;

/// <summary>
/// Numbered, forward-only migrations recorded in <c>schema_version</c>. Every instance runs this at start; a
/// transaction-scoped advisory lock makes concurrent starts take turns, so each migration is applied exactly once.
/// </summary>
internal static class PostgresSchema
{
    // Any constant unique to this application; instances of the same site agree on it.
    private const long LockKey = 0x4D5458_5253;

    /// <summary>Append only: never edit an applied migration, add the next one.</summary>
    private static readonly string[] Migrations =
    [
        // 1: results, with the history index ("recent results of a server name") and the retention index.
        // The report stays text, not jsonb: permalinks must return the exact JSON that was stored.
        """
        CREATE TABLE results (
            id          text        PRIMARY KEY,
            server_name text        NOT NULL,
            created_at  timestamptz NOT NULL,
            verdict     text        NOT NULL,
            summary     text        NOT NULL,
            json        text        NOT NULL
        );
        CREATE INDEX results_by_server ON results (server_name, created_at DESC);
        CREATE INDEX results_by_created ON results (created_at);
        """,
        // 2: one heartbeat row that recovery probes overwrite, to learn that writing works again after an outage.
        """
        CREATE TABLE heartbeat (
            id integer     PRIMARY KEY,
            at timestamptz NOT NULL
        );
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies what is missing; returns the schema version now in place.</summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", LockKey));
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    integer     PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);
        await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection))
        {
            var current = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
            for (var version = current + 1; version <= Migrations.Length; version++)
            {
                await ExecuteAsync(connection, Migrations[version - 1], cancellationToken);
                await ExecuteAsync(connection, "INSERT INTO schema_version (version) VALUES (@v)", cancellationToken, ("v", version));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return Migrations.Length;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
