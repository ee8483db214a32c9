using MatrixTester.Web.Permalinks;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Probe keys and their inbound log in the result store's database (SQLite, or the PostgreSQL every instance
/// shares), migrated in <c>federation_schema_version</c>. Times are Unix milliseconds in both dialects.
/// </summary>
public sealed class FederationDatabase(IOptions<StorageOptions> options, StoreAvailability availability, TimeProvider time)
    : StoreDatabase(options, availability, time, new StoreSchema("federation", 0x4D5458_4644, Migrations, Migrations))
{
    // 1: probe keys (with the private seed: every instance must sign the key response with every active key; the
    // row, seed included, is deleted when the probe expires), the per-target slot that makes "one probe per target
    // per minute" hold across instances, and the inbound requests attributed to each probe.
    private const string ProbeTables = """
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

    private static readonly string[] Migrations = [ProbeTables];
}
