namespace MatrixTester.Web.Storage;

/// <summary>
/// The watch tables and the scheduler's (Quartz) tables: their migrations per dialect, recorded in
/// <c>watch_schema_version</c>. Append only: never edit an applied migration, add the next one.
/// </summary>
internal static class WatchTables
{
    // 1: watches and what the last scheduled check saw. Times are Unix milliseconds in both dialects.
    private const string Watches = """
        CREATE TABLE watches (
            id                 TEXT   PRIMARY KEY,
            server_name        TEXT   NOT NULL,
            email              TEXT   NULL,
            webhook_url        TEXT   NULL,
            webhook_secret     TEXT   NULL,
            confirm_token_hash TEXT   NULL UNIQUE,
            unsubscribe_token  TEXT   NOT NULL UNIQUE,
            created_at         BIGINT NOT NULL,
            confirmed_at       BIGINT NULL
        );
        CREATE INDEX watches_by_server ON watches (server_name);
        CREATE INDEX watches_by_email ON watches (email);
        CREATE TABLE monitor_state (
            server_name     TEXT PRIMARY KEY,
            last_result_id  TEXT NULL,
            alerted_buckets TEXT NOT NULL
        );
        """;

    // 3: the mailbox each email watch delivers to (lower case, +tag removed: MailAddresses.Mailbox), for the cap per
    // mailbox. Existing rows are filled in the same way: emails were stored lower-cased already.
    private const string MailboxColumn = """
        ALTER TABLE watches ADD COLUMN mailbox TEXT NULL;
        UPDATE watches SET mailbox = CASE
            WHEN {0}(substr(email, 1, {0}(email, '@') - 1), '+') > 1 THEN substr(email, 1, {0}(email, '+') - 1) || substr(email, {0}(email, '@'))
            ELSE email END
        WHERE email IS NOT NULL;
        CREATE INDEX watches_by_mailbox ON watches (mailbox);
        """;

    // 4: the language the subscriber used when subscribing (mails are written in it); older watches read English.
    private const string LanguageColumn = "ALTER TABLE watches ADD COLUMN language TEXT NULL;";

    // 2: Quartz's job store (QuartzTables).
    public static IReadOnlyList<string> Postgres { get; } = [Watches, QuartzTables.Ddl("BYTEA", "BOOLEAN"), MailboxColumn.Replace("{0}", "strpos", StringComparison.Ordinal), LanguageColumn];

    public static IReadOnlyList<string> Sqlite { get; } = [Watches, QuartzTables.Ddl("BLOB", "BOOLEAN") + QuartzTables.SqliteCascades(), MailboxColumn.Replace("{0}", "instr", StringComparison.Ordinal), LanguageColumn];

    /// <summary>The lock key is unique to these tables: concurrent starts on PostgreSQL take turns.</summary>
    public static StoreSchema Schema { get; } = new("watch", 0x4D5458_5754, Postgres, Sqlite);
}
