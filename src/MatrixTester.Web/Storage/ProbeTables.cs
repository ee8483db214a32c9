namespace MatrixTester.Web.Storage;

/// <summary>
/// The tables of the tester's own Matrix identity: the two-way check's probe keys, the fetches of our keys and their
/// counts, and the call token check's OpenID tokens, its per-target slots and the call-backs; migrated in
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

    // 3: the call token check. One row per OpenID token we minted (only its SHA-256: the token itself is never
    // stored), the check it belongs to, for whom, until when; a per-target slot (one check per target per minute,
    // across instances); and the calls of our userinfo endpoint with a live token (a few per token at most).
    private const string OpenIdTables = """
        CREATE TABLE openid_tokens (
            token_hash  TEXT    PRIMARY KEY,
            check_id    TEXT    NOT NULL,
            grant_index INTEGER NOT NULL,
            user_id     TEXT    NOT NULL,
            target      TEXT    NOT NULL,
            client      TEXT    NULL,
            started_at  BIGINT  NOT NULL,
            expires_at  BIGINT  NOT NULL
        );
        CREATE INDEX openid_tokens_by_expiry ON openid_tokens (expires_at);
        CREATE INDEX openid_tokens_by_check ON openid_tokens (check_id);
        CREATE TABLE openid_targets (
            target     TEXT   PRIMARY KEY,
            check_id   TEXT   NOT NULL,
            started_at BIGINT NOT NULL
        );
        CREATE TABLE openid_callbacks (
            id             TEXT    PRIMARY KEY,
            check_id       TEXT    NOT NULL,
            grant_index    INTEGER NOT NULL,
            at             BIGINT  NOT NULL,
            remote_address TEXT    NOT NULL,
            address_family TEXT    NOT NULL,
            user_agent     TEXT    NULL
        );
        CREATE INDEX openid_callbacks_by_check ON openid_callbacks (check_id, at);
        """;

    private static readonly string[] Migrations = [Probes, Attribution, OpenIdTables];

    /// <summary>The lock key is unique to these tables: concurrent starts on PostgreSQL take turns.</summary>
    public static StoreSchema Schema { get; } = new("federation", 0x4D5458_4644, Migrations, Migrations);
}
