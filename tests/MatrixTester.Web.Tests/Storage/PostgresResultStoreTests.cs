using MatrixTester.Web.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Tests.Storage;

/// <summary>The store contract against a real PostgreSQL server, plus what only PostgreSQL has: versioned migrations.</summary>
public sealed class PostgresResultStoreTests(PostgresDatabase database) : ResultStoreContract, IClassFixture<PostgresDatabase>
{
    private string? _connectionString;

    protected override async Task<IResultStore> CreateStoreAsync(StorageOptions options)
    {
        _connectionString ??= await database.NewSchemaAsync();
        options.Provider = StorageProvider.Postgres;
        options.ConnectionString = _connectionString;
        return new PostgresResultStore(Options.Create(options), Clock, NullLogger<PostgresResultStore>.Instance);
    }

    [Fact]
    public async Task Instances_starting_at_once_apply_each_migration_exactly_once()
    {
        var stores = new List<PostgresResultStore>();
        for (var i = 0; i < 6; i++)
        {
            stores.Add((PostgresResultStore)await CreateStoreAsync(new StorageOptions()));
        }
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Ct), Ct)));

            await using var source = NpgsqlDataSource.Create(_connectionString!);
            await using var versions = source.CreateCommand("SELECT count(*), max(version) FROM schema_version");
            await using var reader = await versions.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            // Migrations 1 (results) and 2 (the heartbeat row of the outage probe), each once.
            Assert.Equal(2L, reader.GetInt64(0));
            Assert.Equal(2, reader.GetInt32(1));
            await reader.DisposeAsync();

            await using var index = source.CreateCommand(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'results_by_server' AND schemaname = current_schema()");
            Assert.Contains("(server_name, created_at DESC)", (string)(await index.ExecuteScalarAsync(Ct))!, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }
}
