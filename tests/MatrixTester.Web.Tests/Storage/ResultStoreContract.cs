using System.Data.Common;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Storage;

/// <summary>
/// What every result store must do, run against each database by a subclass. The clock is manual, so retention is
/// tested on exact ages.
/// </summary>
public abstract class ResultStoreContract : IAsyncDisposable
{
    private readonly List<StoreDatabase> _databases = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A store on this test's own empty database (or file); several calls share it.</summary>
    protected abstract Task<IResultStore> CreateStoreAsync(StorageOptions options);

    /// <summary>The site's store on its own connection to the database <paramref name="options"/> names (disposed after the test).</summary>
    protected IResultStore Open(StorageOptions options)
    {
        var settings = Options.Create(options);
        var database = new StoreDatabase(settings, new StoreAvailability(settings, Clock, NullLogger<StoreAvailability>.Instance), Clock, NullLogger<StoreDatabase>.Instance);
        _databases.Add(database);
        return new ResultStore(database, settings, Clock);
    }

    private Task<IResultStore> StoreAsync(int retentionDays = 90) => CreateStoreAsync(new StorageOptions { RetentionDays = retentionDays });

    private static string UniqueName() => $"s{Guid.NewGuid():N}.example.test";

    private static StoredResult Result(string server, DateTimeOffset at, string json = """{"version":2}""", string verdict = "Works") =>
        new(ResultIds.New(), server, at, verdict, $"Verdict {verdict} for {server}", json);

    [Fact]
    public async Task A_saved_result_comes_back_unchanged()
    {
        var store = await StoreAsync();
        // Microsecond precision is what PostgreSQL keeps; the JSON carries quotes, escapes and non-BMP characters.
        var saved = Result(UniqueName(), Clock.GetUtcNow().AddTicks(1_234_560), """{"a":"é 😀 \"q\" \\","n":[1,2]}""", "WorksWithWarnings");
        await store.SaveAsync(saved, Ct);

        var loaded = await store.GetAsync(saved.Id, Ct);
        Assert.Equal(saved, loaded);
        Assert.Equal(TimeSpan.Zero, loaded!.CreatedAt.Offset);
    }

    [Fact]
    public async Task A_bounded_read_loads_a_report_up_to_its_size_in_utf8_bytes_and_no_longer_one()
    {
        var store = await StoreAsync();
        // 9 characters, 11 UTF-8 bytes: the bound is in bytes, as the report ceiling is.
        var saved = Result(UniqueName(), Clock.GetUtcNow(), """{"a":"€"}""");
        await store.SaveAsync(saved, Ct);

        Assert.Equal(saved, await store.GetAsync(saved.Id, 11, Ct));
        var tooLarge = await store.GetAsync(saved.Id, 10, Ct);
        Assert.Equal(saved with { Json = "", TooLarge = true }, tooLarge);
        Assert.Null(await store.GetAsync(ResultIds.New(), 10, Ct));
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("x' OR '1'='1' --------------")]
    public async Task Unknown_or_malformed_ids_are_not_found(string id)
    {
        var store = await StoreAsync();
        await store.SaveAsync(Result(UniqueName(), Clock.GetUtcNow()), Ct);
        Assert.Null(await store.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Recent_lists_that_name_only_newest_first_up_to_the_limit()
    {
        var store = await StoreAsync();
        var name = UniqueName();
        var results = Enumerable.Range(1, 5).Select(i => Result(name, Clock.GetUtcNow().AddMinutes(-i), verdict: $"V{i}")).ToList();
        foreach (var result in results.OrderBy(_ => Guid.NewGuid()))
        {
            await store.SaveAsync(result, Ct);
        }
        await store.SaveAsync(Result(UniqueName(), Clock.GetUtcNow()), Ct);

        var recent = await store.RecentAsync(name, 3, Ct);
        Assert.Equal(results.Take(3).Select(r => new ResultSummary(r.Id, r.ServerName, r.CreatedAt, r.Verdict, r.Summary)), recent);
        Assert.Equal(5, (await store.RecentAsync(name, 50, Ct)).Count);
        Assert.Empty(await store.RecentAsync(UniqueName(), 50, Ct));
    }

    [Fact]
    public async Task Expired_results_are_hidden_at_once_and_deleted_by_the_cleanup()
    {
        var store = await StoreAsync(retentionDays: 30);
        var keepForever = await StoreAsync(retentionDays: 0);
        var name = UniqueName();
        var old = Result(name, Clock.GetUtcNow().AddDays(-30).AddSeconds(-1));
        var fresh = Result(name, Clock.GetUtcNow().AddDays(-30).AddSeconds(1));
        await store.SaveAsync(old, Ct);
        await store.SaveAsync(fresh, Ct);

        Assert.Null(await store.GetAsync(old.Id, Ct));
        Assert.Equal(fresh, await store.GetAsync(fresh.Id, Ct));
        Assert.Equal([fresh.Id], (await store.RecentAsync(name, 10, Ct)).Select(r => r.Id));
        Assert.Equal(old, await keepForever.GetAsync(old.Id, Ct)); // hidden, not yet deleted

        Assert.Equal(1, await store.DeleteCreatedBeforeAsync(Clock.GetUtcNow().AddDays(-30), Ct));
        Assert.Null(await keepForever.GetAsync(old.Id, Ct));
        Assert.Equal([fresh.Id], (await keepForever.RecentAsync(name, 10, Ct)).Select(r => r.Id));

        Clock.Advance(TimeSpan.FromSeconds(2)); // now the fresh one has expired too
        Assert.Null(await store.GetAsync(fresh.Id, Ct));
    }

    [Fact]
    public async Task The_background_cleanup_deletes_expired_results_when_the_site_starts()
    {
        var options = new StorageOptions { RetentionDays = 7 };
        var store = await CreateStoreAsync(options);
        var keepForever = await StoreAsync(retentionDays: 0);
        var old = Result(UniqueName(), Clock.GetUtcNow().AddDays(-8));
        await store.SaveAsync(old, Ct);

        var availability = new StoreAvailability(Options.Create(options), Clock, NullLogger<StoreAvailability>.Instance);
        // Event 21 is the cleanup's report of what it deleted: the first pass runs right after the schema check.
        var log = new SignalLogger<ResultStoreMaintenance>(21);
        using var maintenance = new ResultStoreMaintenance(store, availability, Options.Create(options), Clock, log);
        await maintenance.StartAsync(Ct);
        try
        {
            Assert.Matches(@"^Deleted \d+ results older than 7 days$", await log.Logged.WaitAsync(TimeSpan.FromSeconds(30), Ct));
            Assert.Null(await keepForever.GetAsync(old.Id, Ct));
        }
        finally
        {
            await maintenance.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task Results_of_any_age_are_kept_when_retention_is_zero()
    {
        var store = await StoreAsync(retentionDays: 0);
        var ancient = Result(UniqueName(), Clock.GetUtcNow().AddYears(-10));
        await store.SaveAsync(ancient, Ct);
        Assert.Equal(ancient, await store.GetAsync(ancient.Id, Ct));
    }

    [Fact]
    public async Task Concurrent_saves_all_land()
    {
        var store = await StoreAsync();
        var name = UniqueName();
        var results = Enumerable.Range(0, 40).Select(i => Result(name, Clock.GetUtcNow().AddMilliseconds(-i))).ToList();
        await Task.WhenAll(results.Select(r => Task.Run(() => store.SaveAsync(r, Ct), Ct)));

        var listed = await store.RecentAsync(name, 100, Ct);
        Assert.Equal(results.Select(r => r.Id), listed.Select(r => r.Id));
    }

    [Fact]
    public async Task An_id_is_never_reused_a_duplicate_save_fails_and_keeps_the_original()
    {
        var store = await StoreAsync();
        var first = Result(UniqueName(), Clock.GetUtcNow());
        await store.SaveAsync(first, Ct);
        await Assert.ThrowsAnyAsync<DbException>(() => store.SaveAsync(first with { Json = "{}", Verdict = "Broken" }, Ct));
        Assert.Equal(first, await store.GetAsync(first.Id, Ct));

        var ids = Enumerable.Range(0, 100_000).Select(_ => ResultIds.New()).ToHashSet();
        Assert.Equal(100_000, ids.Count);
    }

    [Fact]
    public async Task A_large_report_round_trips()
    {
        var store = await StoreAsync();
        var big = """{"findings":[""" + string.Join(',', Enumerable.Range(0, 40_000).Select(i => $$"""{"id":"finding-{{i}}","detail":"ü{{i}}"}""")) + "]}";
        Assert.True(big.Length > 1_000_000);
        var saved = Result(UniqueName(), Clock.GetUtcNow(), big);
        await store.SaveAsync(saved, Ct);
        Assert.Equal(big, (await store.GetAsync(saved.Id, Ct))!.Json);
    }

    [Fact]
    public async Task An_invalid_input_with_a_nul_character_is_still_stored()
    {
        var store = await StoreAsync();
        // Invalid input is stored under the raw input; hostile input must not turn into a failed save.
        var saved = Result("bad\0name" + Guid.NewGuid().ToString("N"), Clock.GetUtcNow(), """{"input":"bad\u0000name"}""");
        await store.SaveAsync(saved, Ct);
        var loaded = await store.GetAsync(saved.Id, Ct);
        Assert.Equal(saved.Json, loaded!.Json);
        Assert.Equal(saved.CreatedAt, loaded.CreatedAt);
        Assert.Single(await store.RecentAsync(saved.ServerName, 10, Ct));
    }

    [Fact]
    public async Task Initializing_twice_and_concurrently_is_harmless()
    {
        var a = await StoreAsync();
        var b = await StoreAsync();
        await Task.WhenAll(a.InitializeAsync(Ct), b.InitializeAsync(Ct), a.InitializeAsync(Ct));
        var saved = Result(UniqueName(), Clock.GetUtcNow());
        await a.SaveAsync(saved, Ct);
        Assert.Equal(saved, await b.GetAsync(saved.Id, Ct));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
        CleanUp();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs after the stores' databases are disposed.</summary>
    protected virtual void CleanUp()
    {
    }
}
