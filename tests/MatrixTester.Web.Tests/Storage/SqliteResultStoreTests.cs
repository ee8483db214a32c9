using MatrixTester.Web.Storage;
using Microsoft.Data.Sqlite;

namespace MatrixTester.Web.Tests.Storage;

public sealed class SqliteResultStoreTests : ResultStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "matrixtester-store-" + Guid.NewGuid().ToString("N"));

    protected override Task<IResultStore> CreateStoreAsync(StorageOptions options)
    {
        options.DataDirectory = _directory;
        return Task.FromResult(Open(options));
    }

    [Fact]
    public async Task A_file_an_earlier_version_made_keeps_its_results_and_takes_new_ones()
    {
        Directory.CreateDirectory(_directory);
        var old = new StoredResult(ResultIds.New(), "old.example.test", Clock.GetUtcNow().AddDays(-1), "Works", "Works", """{"version":2}""");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "results.db")}"))
        {
            await connection.OpenAsync(Ct);
            // The tables as the site made them before: created on open, with no version table.
            await using var create = connection.CreateCommand();
            create.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE results (id TEXT PRIMARY KEY, server_name TEXT NOT NULL, created_at TEXT NOT NULL,
                    verdict TEXT NOT NULL, summary TEXT NOT NULL, json TEXT NOT NULL);
                CREATE INDEX results_by_server ON results (server_name, created_at DESC);
                CREATE INDEX results_by_created ON results (created_at);
                CREATE TABLE heartbeat (id INTEGER PRIMARY KEY, at TEXT NOT NULL);
                INSERT INTO results VALUES ($id, $name, $at, $verdict, $summary, $json);
                """;
            create.Parameters.AddWithValue("$id", old.Id);
            create.Parameters.AddWithValue("$name", old.ServerName);
            create.Parameters.AddWithValue("$at", old.CreatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            create.Parameters.AddWithValue("$verdict", old.Verdict);
            create.Parameters.AddWithValue("$summary", old.Summary);
            create.Parameters.AddWithValue("$json", old.Json);
            await create.ExecuteNonQueryAsync(Ct);
        }

        var store = await CreateStoreAsync(new StorageOptions());
        var fresh = old with { Id = ResultIds.New(), CreatedAt = Clock.GetUtcNow() };
        await store.SaveAsync(fresh, Ct);

        Assert.Equal(old, await store.GetAsync(old.Id, Ct));
        Assert.Equal([fresh.Id, old.Id], (await store.RecentAsync(old.ServerName, 10, Ct)).Select(r => r.Id));
        await store.ProbeWriteAsync(Ct);
    }

    protected override void CleanUp()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
