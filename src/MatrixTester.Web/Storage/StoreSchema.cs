using System.Data.Common;
using System.Globalization;

namespace MatrixTester.Web.Storage;

/// <summary>
/// The tables of one part of the site (results, watches and the scheduler, probes): numbered, forward-only migrations
/// per dialect, recorded in <c>{Name}_schema_version</c>, so each part's tables migrate on their own.
/// </summary>
/// <param name="LockKey">PostgreSQL advisory lock key, unique to the part: concurrent starts take turns.</param>
public sealed record StoreSchema(string Name, long LockKey, IReadOnlyList<string> Postgres, IReadOnlyList<string> Sqlite)
{
    /// <summary>Every part's tables, in the order a new database gets them.</summary>
    public static IReadOnlyList<StoreSchema> All { get; } = [ResultTables.Schema, WatchTables.Schema, ProbeTables.Schema];

    public IReadOnlyList<string> Migrations(bool postgres) => postgres ? Postgres : Sqlite;

    /// <summary>
    /// Applies the migrations <paramref name="connection"/>'s database lacks, in one transaction that holds the
    /// part's lock (an advisory lock on PostgreSQL; on SQLite a write as the first statement, which takes the
    /// database's write lock), so two processes starting at once apply each migration once. Returns the version now.
    /// </summary>
    public async Task<int> ApplyAsync(DbConnection connection, bool postgres, long appliedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var migrations = Migrations(postgres);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (postgres)
        {
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        }
        else
        {
            await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {Name}_schema_lock (id INTEGER)", cancellationToken);
            await ExecuteAsync(connection, transaction, $"DELETE FROM {Name}_schema_lock", cancellationToken);
        }
        await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {Name}_schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken);
        await using var read = StoreDatabase.Command(connection, $"SELECT coalesce(max(version), 0) FROM {Name}_schema_version");
        read.Transaction = transaction;
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= migrations.Count; version++)
        {
            await ExecuteAsync(connection, transaction, migrations[version - 1], cancellationToken);
            await using var record = StoreDatabase.Command(connection, $"INSERT INTO {Name}_schema_version (version, applied_at) VALUES (@v, @at)", ("v", version), ("at", appliedAt));
            record.Transaction = transaction;
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return Math.Max(current, migrations.Count);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = StoreDatabase.Command(connection, sql);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
