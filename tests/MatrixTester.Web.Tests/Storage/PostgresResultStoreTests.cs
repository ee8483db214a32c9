using MatrixTester.Web.Storage;
using Npgsql;

namespace MatrixTester.Web.Tests.Storage;

/// <summary>
/// The store contract against a real PostgreSQL server, plus what only a shared database has: instances starting at
/// once, and databases made by earlier versions of the site.
/// </summary>
public sealed class PostgresResultStoreTests(PostgresDatabase database) : ResultStoreContract, IClassFixture<PostgresDatabase>
{
    private string? _connectionString;

    protected override async Task<IResultStore> CreateStoreAsync(StorageOptions options)
    {
        _connectionString ??= await database.NewSchemaAsync();
        options.Provider = StorageProvider.Postgres;
        options.ConnectionString = _connectionString;
        return Open(options);
    }

    [Fact]
    public async Task Instances_starting_at_once_apply_each_migration_exactly_once()
    {
        var stores = new List<IResultStore>();
        for (var i = 0; i < 6; i++)
        {
            stores.Add(await CreateStoreAsync(new StorageOptions()));
        }

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Ct), Ct)));

        await using var source = NpgsqlDataSource.Create(_connectionString!);
        foreach (var schema in StoreSchema.All)
        {
            await using var versions = source.CreateCommand($"SELECT count(*), max(version) FROM {schema.Name}_schema_version");
            await using var reader = await versions.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal((schema.Postgres.Count, schema.Postgres.Count), (reader.GetInt64(0), reader.GetInt32(1)));
        }
        await using var index = source.CreateCommand(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'results_by_server' AND schemaname = current_schema()");
        Assert.Contains("(server_name, created_at DESC)", (string)(await index.ExecuteScalarAsync(Ct))!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_an_earlier_version_made_keeps_its_results_and_takes_new_ones()
    {
        _connectionString ??= await database.NewSchemaAsync();
        var old = new StoredResult(ResultIds.New(), "old.example.test", Clock.GetUtcNow().AddDays(-1), "Works", "Works", """{"version":2}""");
        await using (var source = NpgsqlDataSource.Create(_connectionString))
        {
            // The tables as the site made them before, with its own version table for them.
            await using var create = source.CreateCommand("""
                CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE results (id text PRIMARY KEY, server_name text NOT NULL, created_at timestamptz NOT NULL,
                    verdict text NOT NULL, summary text NOT NULL, json text NOT NULL);
                CREATE INDEX results_by_server ON results (server_name, created_at DESC);
                CREATE INDEX results_by_created ON results (created_at);
                CREATE TABLE heartbeat (id integer PRIMARY KEY, at timestamptz NOT NULL);
                INSERT INTO schema_version (version) VALUES (1), (2);
                """);
            await create.ExecuteNonQueryAsync(Ct);
            await using var insert = source.CreateCommand("INSERT INTO results VALUES ($1, $2, $3, $4, $5, $6)");
            foreach (var value in new object[] { old.Id, old.ServerName, old.CreatedAt, old.Verdict, old.Summary, old.Json })
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            }
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var store = await CreateStoreAsync(new StorageOptions());
        var fresh = old with { Id = ResultIds.New(), CreatedAt = Clock.GetUtcNow() };
        await store.SaveAsync(fresh, Ct);

        Assert.Equal(old, await store.GetAsync(old.Id, Ct));
        Assert.Equal([fresh.Id, old.Id], (await store.RecentAsync(old.ServerName, 10, Ct)).Select(r => r.Id));
        await store.ProbeWriteAsync(Ct);
    }
}
