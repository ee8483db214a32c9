namespace MatrixTester.Web.Storage;

/// <summary>
/// The tables Quartz.NET's ADO job store reads and writes (table prefix <c>qrtz_</c>), in our own DDL. What carries
/// over from Quartz is only the facts: table and column names and what each holds. Quartz validates this schema at
/// start (SchemaProvisioning.Validate, its default) and refuses to run against a table or column it misses.
/// Times are .NET ticks (BIGINT); intervals too.
/// </summary>
internal static class QuartzTables
{
    private static readonly string[] ScheduleKinds = ["simple", "simprop", "cron", "blob"];

    public static string Ddl(string blob, string boolean) => $"""
        CREATE TABLE qrtz_job_details (
            sched_name        TEXT NOT NULL,
            job_name          TEXT NOT NULL,
            job_group         TEXT NOT NULL,
            description       TEXT NULL,
            job_class_name    TEXT NOT NULL,
            is_durable        {boolean} NOT NULL,
            is_nonconcurrent  {boolean} NOT NULL,
            is_update_data    {boolean} NOT NULL,
            requests_recovery {boolean} NOT NULL,
            job_data          {blob} NULL,
            PRIMARY KEY (sched_name, job_name, job_group)
        );
        CREATE TABLE qrtz_triggers (
            sched_name             TEXT NOT NULL,
            trigger_name           TEXT NOT NULL,
            trigger_group          TEXT NOT NULL,
            job_name               TEXT NOT NULL,
            job_group              TEXT NOT NULL,
            description            TEXT NULL,
            next_fire_time         BIGINT NULL,
            prev_fire_time         BIGINT NULL,
            priority               INTEGER NULL,
            trigger_state          TEXT NOT NULL,
            trigger_type           TEXT NOT NULL,
            start_time             BIGINT NOT NULL,
            end_time               BIGINT NULL,
            calendar_name          TEXT NULL,
            misfire_instr          SMALLINT NULL,
            misfire_orig_fire_time BIGINT NULL,
            execution_group        TEXT NULL,
            preferred_node         TEXT NULL,
            preferred_node_auto    {boolean} NOT NULL DEFAULT FALSE,
            retry_policy           TEXT NULL,
            retry_attempt          INTEGER NULL,
            continues_trigger_name TEXT NULL,
            continues_trigger_group TEXT NULL,
            continuation_condition INTEGER NULL,
            overlap_policy         INTEGER NULL,
            pause_reason           TEXT NULL,
            paused_by              TEXT NULL,
            paused_at              BIGINT NULL,
            misfire_threshold      BIGINT NULL,
            fixed_delay            {boolean} NULL,
            job_data               {blob} NULL,
            PRIMARY KEY (sched_name, trigger_name, trigger_group),
            FOREIGN KEY (sched_name, job_name, job_group) REFERENCES qrtz_job_details (sched_name, job_name, job_group)
        );
        CREATE TABLE qrtz_simple_triggers (
            sched_name      TEXT NOT NULL,
            trigger_name    TEXT NOT NULL,
            trigger_group   TEXT NOT NULL,
            repeat_count    BIGINT NOT NULL,
            repeat_interval BIGINT NOT NULL,
            times_triggered BIGINT NOT NULL,
            PRIMARY KEY (sched_name, trigger_name, trigger_group),
            FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
        );
        CREATE TABLE qrtz_simprop_triggers (
            sched_name    TEXT NOT NULL,
            trigger_name  TEXT NOT NULL,
            trigger_group TEXT NOT NULL,
            str_prop_1    TEXT NULL,
            str_prop_2    TEXT NULL,
            str_prop_3    TEXT NULL,
            int_prop_1    INTEGER NULL,
            int_prop_2    INTEGER NULL,
            long_prop_1   BIGINT NULL,
            long_prop_2   BIGINT NULL,
            dec_prop_1    NUMERIC NULL,
            dec_prop_2    NUMERIC NULL,
            bool_prop_1   {boolean} NULL,
            bool_prop_2   {boolean} NULL,
            time_zone_id  TEXT NULL,
            PRIMARY KEY (sched_name, trigger_name, trigger_group),
            FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
        );
        CREATE TABLE qrtz_cron_triggers (
            sched_name      TEXT NOT NULL,
            trigger_name    TEXT NOT NULL,
            trigger_group   TEXT NOT NULL,
            cron_expression TEXT NOT NULL,
            time_zone_id    TEXT NULL,
            PRIMARY KEY (sched_name, trigger_name, trigger_group),
            FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
        );
        CREATE TABLE qrtz_blob_triggers (
            sched_name    TEXT NOT NULL,
            trigger_name  TEXT NOT NULL,
            trigger_group TEXT NOT NULL,
            blob_data     {blob} NULL,
            PRIMARY KEY (sched_name, trigger_name, trigger_group),
            FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
        );
        CREATE TABLE qrtz_calendars (
            sched_name    TEXT NOT NULL,
            calendar_name TEXT NOT NULL,
            calendar      {blob} NOT NULL,
            PRIMARY KEY (sched_name, calendar_name)
        );
        CREATE TABLE qrtz_paused_trigger_grps (
            sched_name    TEXT NOT NULL,
            trigger_group TEXT NOT NULL,
            pause_reason  TEXT NULL,
            paused_by     TEXT NULL,
            paused_at     BIGINT NULL,
            PRIMARY KEY (sched_name, trigger_group)
        );
        CREATE TABLE qrtz_paused_job_grps (
            sched_name TEXT NOT NULL,
            job_group    TEXT NOT NULL,
            pause_reason TEXT NULL,
            paused_by    TEXT NULL,
            paused_at    BIGINT NULL,
            PRIMARY KEY (sched_name, job_group)
        );
        CREATE TABLE qrtz_fired_triggers (
            sched_name        TEXT NOT NULL,
            entry_id          TEXT NOT NULL,
            trigger_name      TEXT NOT NULL,
            trigger_group     TEXT NOT NULL,
            instance_name     TEXT NOT NULL,
            fired_time        BIGINT NOT NULL,
            sched_time        BIGINT NOT NULL,
            priority          INTEGER NOT NULL,
            state             TEXT NOT NULL,
            job_name          TEXT NULL,
            job_group         TEXT NULL,
            is_nonconcurrent  {boolean} NOT NULL,
            requests_recovery {boolean} NULL,
            execution_group   TEXT NULL,
            progress          INTEGER NULL,
            progress_message  TEXT NULL,
            interrupt_requested_time BIGINT NULL,
            PRIMARY KEY (sched_name, entry_id)
        );
        CREATE TABLE qrtz_scheduler_state (
            sched_name        TEXT NOT NULL,
            instance_name     TEXT NOT NULL,
            last_checkin_time BIGINT NOT NULL,
            checkin_interval  BIGINT NOT NULL,
            quartz_version    TEXT NULL,
            PRIMARY KEY (sched_name, instance_name)
        );
        CREATE TABLE qrtz_locks (
            sched_name TEXT NOT NULL,
            lock_name  TEXT NOT NULL,
            PRIMARY KEY (sched_name, lock_name)
        );
        CREATE INDEX qrtz_triggers_due ON qrtz_triggers (sched_name, trigger_state, next_fire_time, priority DESC, misfire_instr);
        CREATE INDEX qrtz_triggers_by_group ON qrtz_triggers (sched_name, trigger_group, trigger_name);
        CREATE INDEX qrtz_jobs_by_group ON qrtz_job_details (sched_name, job_group, job_name);
        CREATE INDEX qrtz_triggers_by_job ON qrtz_triggers (sched_name, job_name, job_group);
        CREATE INDEX qrtz_fired_by_instance ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
        CREATE INDEX qrtz_fired_by_trigger ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
        CREATE INDEX qrtz_fired_by_job ON qrtz_fired_triggers (sched_name, job_name, job_group);
        """;

    /// <summary>
    /// SQLite enforces ON DELETE CASCADE only with <c>PRAGMA foreign_keys</c> on, which Quartz's connections do not
    /// set: these triggers remove a trigger's schedule rows with it instead.
    /// </summary>
    public static string SqliteCascades() => string.Concat(
        ScheduleKinds.Select(kind => $"""
            CREATE TRIGGER qrtz_{kind}_triggers_cascade AFTER DELETE ON qrtz_triggers
            BEGIN
                DELETE FROM qrtz_{kind}_triggers
                WHERE sched_name = OLD.sched_name AND trigger_name = OLD.trigger_name AND trigger_group = OLD.trigger_group;
            END;

            """));
}
