namespace MatrixTester.Web.Storage;

/// <summary>
/// The results' tables, migrated in <c>results_schema_version</c>. Append only: never edit an applied migration, add
/// the next one. The report stays text, not jsonb: permalinks return the exact JSON that was stored.
/// </summary>
internal static class ResultTables
{
    // 1: results, with the history index ("recent results of a server name") and the retention index, and one
    // heartbeat row that recovery probes overwrite to learn that writing works again after an outage. IF NOT EXISTS:
    // a database from before this version table holds them already (SQLite files created them on open; PostgreSQL
    // kept their versions in a table of its own, schema_version, left in place so an older instance still starts).
    private const string SqliteResults = """
        CREATE TABLE IF NOT EXISTS results (
            id          TEXT PRIMARY KEY,
            server_name TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            verdict     TEXT NOT NULL,
            summary     TEXT NOT NULL,
            json        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS results_by_server ON results (server_name, created_at DESC);
        CREATE INDEX IF NOT EXISTS results_by_created ON results (created_at);
        CREATE TABLE IF NOT EXISTS heartbeat (id INTEGER PRIMARY KEY, at TEXT NOT NULL);
        """;

    // Times are ISO 8601 UTC text of one width in SQLite (ordered as text, see ResultStore) and timestamptz here.
    private const string PostgresResults = """
        CREATE TABLE IF NOT EXISTS results (
            id          text        PRIMARY KEY,
            server_name text        NOT NULL,
            created_at  timestamptz NOT NULL,
            verdict     text        NOT NULL,
            summary     text        NOT NULL,
            json        text        NOT NULL
        );
        CREATE INDEX IF NOT EXISTS results_by_server ON results (server_name, created_at DESC);
        CREATE INDEX IF NOT EXISTS results_by_created ON results (created_at);
        CREATE TABLE IF NOT EXISTS heartbeat (id integer PRIMARY KEY, at timestamptz NOT NULL);
        """;

    // 2: which results a scheduled check of a watched name made or reused, so uptime is counted by the database
    // from the verdict column of those rows alone (UptimeStore); the partial index serves exactly that query.
    private const string Scheduled = """
        ALTER TABLE results ADD COLUMN scheduled INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX results_scheduled ON results (server_name, created_at) WHERE scheduled = 1;
        """;

    // 3: the facts the statistics page counts (StatisticsStore), written when a result is stored: a few short rows per
    // result (its verdict, how it delegates, IPv6, software family and version, TLS versions, certificate issuer, the
    // ids of its problems), so /stats is one aggregate over small rows instead of reading reports. The name is kept
    // to count each server once (its latest result); the page never shows it. Deleted with their result (retention).
    private const string SqliteFacts = """
        CREATE TABLE result_facts (
            result_id   TEXT NOT NULL,
            server_name TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            kind        TEXT NOT NULL,
            value       TEXT NOT NULL
        );
        CREATE INDEX result_facts_by_kind ON result_facts (kind, created_at);
        CREATE INDEX result_facts_by_result ON result_facts (result_id);
        CREATE INDEX result_facts_by_created ON result_facts (created_at);
        """;

    private const string PostgresFacts = """
        CREATE TABLE result_facts (
            result_id   text        NOT NULL,
            server_name text        NOT NULL,
            created_at  timestamptz NOT NULL,
            kind        text        NOT NULL,
            value       text        NOT NULL
        );
        CREATE INDEX result_facts_by_kind ON result_facts (kind, created_at);
        CREATE INDEX result_facts_by_result ON result_facts (result_id);
        CREATE INDEX result_facts_by_created ON result_facts (created_at);
        """;

    /// <summary>The lock key is unique to these tables: concurrent starts on PostgreSQL take turns.</summary>
    public static StoreSchema Schema { get; } = new("results", 0x4D5458_5253, [PostgresResults, Scheduled, PostgresFacts], [SqliteResults, Scheduled, SqliteFacts]);
}
