namespace MatrixTester.Web.Storage;

/// <summary>
/// The two-way check's tables: probe keys, the fetches of our keys and their counts, migrated in
/// <c>federation_schema_version</c>. One SQL text serves both dialects; times are Unix milliseconds.
/// Append only: never edit an applied migration, add the next one.
/// </summary>
internal static class ProbeTables
{
    // 1: probe keys (with the private seed: every instance must sign the key response with every active key; the
    // row, seed included, is deleted when the probe expires), the per-target slot that makes "one probe per target
    // per minute" hold across instances, and the inbound requests attributed to each probe.
    private const string Probes = """
        CREATE TABLE probe_keys (
            key_id     TEXT   PRIMARY KEY,
            target     TEXT   NOT NULL,
            seed       TEXT   NOT NULL,
            started_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        CREATE INDEX probe_keys_by_expiry ON probe_keys (expires_at);
        CREATE TABLE probe_targets (
            target     TEXT   PRIMARY KEY,
            key_id     TEXT   NOT NULL,
            started_at BIGINT NOT NULL
        );
        CREATE TABLE probe_inbound (
            id             TEXT   PRIMARY KEY,
            key_id         TEXT   NOT NULL,
            at             BIGINT NOT NULL,
            remote_address TEXT   NOT NULL,
            address_family TEXT   NOT NULL,
            sni            TEXT   NULL,
            host           TEXT   NULL,
            user_agent     TEXT   NULL,
            path           TEXT   NOT NULL
        );
        CREATE INDEX probe_inbound_by_key ON probe_inbound (key_id, at);
        """;

    // 2: attribution by source. A probe knows its target's addresses ("sources": IPv4 address or IPv6 /64, space
    // separated), who asked for it ("client", for the per-client share; NULL when no visitor did) and how many checks
    // use it now ("holders": the last one to finish shortens its life). Fetches are kept once each, by source, and
    // only when the source is some active probe's target; every other fetch is only counted, per second, in bulk.
    // The old log (one row per fetch per probe) goes: its rows lived for minutes and nothing reads them any more.
    private const string Attribution = """
        ALTER TABLE probe_keys ADD COLUMN client TEXT NULL;
        ALTER TABLE probe_keys ADD COLUMN sources TEXT NOT NULL DEFAULT '';
        ALTER TABLE probe_keys ADD COLUMN holders INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX probe_keys_by_client ON probe_keys (client, expires_at);
        DROP TABLE probe_inbound;
        CREATE TABLE key_fetches (
            id             TEXT   PRIMARY KEY,
            source         TEXT   NOT NULL,
            at             BIGINT NOT NULL,
            remote_address TEXT   NOT NULL,
            address_family TEXT   NOT NULL,
            sni            TEXT   NULL,
            host           TEXT   NULL,
            user_agent     TEXT   NULL,
            path           TEXT   NOT NULL
        );
        CREATE INDEX key_fetches_by_source ON key_fetches (source, at);
        CREATE INDEX key_fetches_by_time ON key_fetches (at);
        CREATE TABLE key_fetch_counts (
            second  BIGINT PRIMARY KEY,
            fetches BIGINT NOT NULL
        );
        """;

    private static readonly string[] Migrations = [Probes, Attribution];

    /// <summary>The lock key is unique to these tables: concurrent starts on PostgreSQL take turns.</summary>
    public static StoreSchema Schema { get; } = new("federation", 0x4D5458_4644, Migrations, Migrations);
}
