using MatrixTester.Web.Storage;
using MatrixTester.Web.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Uptime;

/// <summary>
/// Uptime figures from a known history of stored results, counted by each database: scheduled results inside and
/// outside each window, a visitor's result (not a scheduled check), a check that did not finish, another name's.
/// </summary>
public abstract class UptimeContract : IAsyncDisposable
{
    private readonly List<StoreDatabase> _databases = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Options naming this test's own empty database.</summary>
    protected abstract Task<StorageOptions> OptionsAsync();

    private async Task<(ResultStore Results, UptimeStore Uptime)> OpenAsync()
    {
        var settings = Options.Create(await OptionsAsync());
        var database = new StoreDatabase(settings, new StoreAvailability(settings, Clock, NullLogger<StoreAvailability>.Instance), Clock, NullLogger<StoreDatabase>.Instance);
        _databases.Add(database);
        return (new ResultStore(database, settings, Clock), new UptimeStore(database));
    }

    [Fact]
    public async Task Uptime_over_7_30_and_90_days_counts_the_scheduled_checks_that_worked()
    {
        var (results, uptime) = await OpenAsync();
        const string name = "watched.example.test";
        async Task AddAsync(string server, double daysAgo, string verdict, bool scheduled)
        {
            var result = new StoredResult(ResultIds.New(), server, Clock.GetUtcNow().AddDays(-daysAgo), verdict, verdict, """{"version":2}""");
            await results.SaveAsync(result, Ct);
            if (scheduled)
            {
                await uptime.MarkScheduledAsync(result.Id, Ct);
            }
        }
        await AddAsync(name, 1, "Works", scheduled: true);
        await AddAsync(name, 2, "Broken", scheduled: true);
        await AddAsync(name, 3, "WorksWithWarnings", scheduled: true);
        await AddAsync(name, 6.99, "Incomplete", scheduled: true);
        await AddAsync(name, 10, "Broken", scheduled: true);
        await AddAsync(name, 20, "Works", scheduled: true);
        await AddAsync(name, 40, "Works", scheduled: true);
        await AddAsync(name, 60, "Works", scheduled: true);
        await AddAsync(name, 89.9, "Broken", scheduled: true);
        await AddAsync(name, 91, "Broken", scheduled: true);
        await AddAsync(name, 0.1, "Broken", scheduled: false);
        await AddAsync("other.example.test", 1, "Broken", scheduled: true);

        var figures = await uptime.UptimeAsync(name, Clock.GetUtcNow(), Ct);

        Assert.Equal([new UptimeWindow(7, 2, 1, 1), new UptimeWindow(30, 3, 2, 1), new UptimeWindow(90, 5, 3, 1)], figures.Windows);
        Assert.Equal("66.6 % (2 of 3 checks worked); 1 check did not finish", UptimeWords.Line(figures.Window(7)));
        Assert.Equal("60.0 % (3 of 5 checks worked); 1 check did not finish", UptimeWords.Line(figures.Window(30)));
        Assert.Equal("Uptime of scheduled checks: 7 days 66.6 %, 30 days 60.0 %, 90 days 62.5 %.", UptimeWords.Sentence(figures));
    }

    [Fact]
    public async Task A_name_without_scheduled_checks_has_no_uptime()
    {
        var (results, uptime) = await OpenAsync();
        await results.SaveAsync(new StoredResult(ResultIds.New(), "visited.example.test", Clock.GetUtcNow(), "Works", "Works", """{"version":2}"""), Ct);

        var figures = await uptime.UptimeAsync("visited.example.test", Clock.GetUtcNow(), Ct);

        Assert.False(figures.Any);
        Assert.All(figures.Windows, w => Assert.Null(w.Share));
        Assert.Equal("no checks", UptimeWords.Line(figures.Window(30)));
    }

    [Theory]
    [InlineData(1.0, "100 %")]
    [InlineData(0.99999, "99.9 %")]
    [InlineData(0.9925, "99.2 %")]
    [InlineData(0.0, "0.0 %")]
    public void A_share_is_never_rounded_up_to_a_better_figure(double share, string expected) =>
        Assert.Equal(expected, UptimeWords.Share(share));

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
        CleanUp();
        GC.SuppressFinalize(this);
    }

    protected virtual void CleanUp()
    {
    }
}

public sealed class SqliteUptimeTests : UptimeContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "matrixtester-uptime-" + Guid.NewGuid().ToString("N"));

    protected override Task<StorageOptions> OptionsAsync() => Task.FromResult(new StorageOptions { DataDirectory = _directory });

    protected override void CleanUp()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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

public sealed class PostgresUptimeTests(PostgresDatabase database) : UptimeContract, IClassFixture<PostgresDatabase>
{
    private string? _connectionString;

    protected override async Task<StorageOptions> OptionsAsync()
    {
        _connectionString ??= await database.NewSchemaAsync();
        return new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _connectionString };
    }
}
