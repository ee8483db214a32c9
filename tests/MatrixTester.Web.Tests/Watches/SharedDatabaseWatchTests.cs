using System.Net;
using System.Net.Http.Json;
using MatrixTester.Web.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>With Storage:Provider=Postgres, watches and the schedule live in PostgreSQL, nothing in the local SQLite file.</summary>
public sealed class SharedDatabaseWatchTests(WatchLab watch, PostgresDatabase database) : IClassFixture<WatchLab>, IClassFixture<PostgresDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_watch_and_its_schedule_are_stored_in_the_shared_database()
    {
        var connectionString = await database.NewSchemaAsync();
        var settings = watch.Settings(TimeSpan.FromHours(6));
        settings["Storage:Provider"] = "Postgres";
        settings["Storage:ConnectionString"] = connectionString;
        var directory = Path.Combine(watch.DataDirectory, "shared");
        await using var site = new SiteFactory(watch.Lab, directory, settings);
        using var created = await site.CreateClient().PostAsJsonAsync("/api/v2/watches", new { server_name = "shared.example.org", webhook = watch.Hooks.Url.ToString() }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await using var source = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(1L, await ScalarAsync(source, "SELECT count(*) FROM watches WHERE server_name = 'shared.example.org' AND confirmed_at IS NOT NULL"));
        Assert.Equal(1L, await ScalarAsync(source, "SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'shared.example.org'"));
        // 4: the language a watch was made in.
        Assert.Equal(4L, await ScalarAsync(source, "SELECT max(version) FROM watch_schema_version"));
        await using (var language = source.CreateCommand("SELECT language FROM watches WHERE server_name = 'shared.example.org'"))
        {
            Assert.Equal("en", await language.ExecuteScalarAsync(Ct));
        }
        // A clustered, persistent scheduler (its trigger is in PostgreSQL, above), not a SQLite-flavoured store.
        var scheduler = await site.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
        var meta = await scheduler.GetMetadata(Ct);
        Assert.True(meta.JobStoreClustered);
        Assert.True(meta.JobStorePersistent);
        Assert.False(File.Exists(Path.Combine(directory, "results.db")));
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
