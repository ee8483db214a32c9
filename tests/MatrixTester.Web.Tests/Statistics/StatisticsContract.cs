using MatrixTester.Web.Statistics;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Statistics;

/// <summary>
/// The statistics' figures from a known set of stored facts, counted by each database: each server once, by its
/// latest result in the last 30 days; older results and a server's earlier results do not count.
/// </summary>
public abstract class StatisticsContract : IAsyncDisposable
{
    private readonly List<StoreDatabase> _databases = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected abstract Task<StorageOptions> OptionsAsync();

    private async Task<(StatisticsStore Store, ResultStore Results)> OpenAsync()
    {
        var settings = Options.Create(await OptionsAsync());
        var database = new StoreDatabase(settings, new StoreAvailability(settings, _clock, NullLogger<StoreAvailability>.Instance), _clock, NullLogger<StoreDatabase>.Instance);
        _databases.Add(database);
        return (new StatisticsStore(database), new ResultStore(database, settings, _clock));
    }

    private async Task AddAsync(StatisticsStore store, string server, double daysAgo, params (string Kind, string Value)[] facts) =>
        await store.AddAsync(ResultIds.New(), server, _clock.GetUtcNow().AddDays(-daysAgo), facts, Ct);

    private async Task<StatisticsStore> KnownSetAsync()
    {
        var (store, _) = await OpenAsync();
        await AddAsync(store, "a.example.test", 40, ("verdict", "broken"), ("delegation", "srv"), ("finding", "net.refused"));
        await AddAsync(store, "a.example.test", 10, ("verdict", "broken"), ("delegation", "srv"), ("finding", "tls.cert.expired"));
        await AddAsync(store, "a.example.test", 2, ("verdict", "works"), ("delegation", "well-known"), ("ipv6", "none"), ("issuer", "Let's Encrypt"), ("tls", "TLS 1.3"));
        await AddAsync(store, "b.example.test", 5, ("verdict", "broken"), ("delegation", "direct"), ("ipv6", "broken"), ("finding", "tls.cert.expired"),
            ("finding", "keys.content_type"), ("issuer", "Tiny CA"), ("tls", "TLS 1.2"), ("tls", "TLS 1.3"));
        await AddAsync(store, "c.example.test", 1, ("verdict", "works_with_warnings"), ("delegation", "well-known"), ("ipv6", "works"),
            ("issuer", "Let's Encrypt"), ("tls", "TLS 1.3"), ("software", "Synapse"), ("version", "Synapse 1.140"));
        await AddAsync(store, "old.example.test", 31, ("verdict", "works"), ("delegation", "deprecated-srv"));
        return store;
    }

    [Fact]
    public async Task Each_server_counts_once_by_its_latest_result_of_the_last_30_days()
    {
        var store = await KnownSetAsync();

        var counts = await store.CountAsync(_clock.GetUtcNow().AddDays(-30), Ct);

        Assert.Equal(3, counts.Servers);
        Assert.Equal([("broken", 1), ("works", 1), ("works_with_warnings", 1)], counts.Of("verdict"));
        Assert.Equal([("well-known", 2), ("direct", 1)], counts.Of("delegation"));
        Assert.Equal([("keys.content_type", 1), ("tls.cert.expired", 1)], counts.Of("finding"));
        Assert.Equal([("TLS 1.3", 3), ("TLS 1.2", 1)], counts.Of("tls"));
        Assert.Equal([("broken", 1), ("none", 1), ("works", 1)], counts.Of("ipv6"));
        Assert.Equal([("Synapse 1.140", 1)], counts.Of("version"));
    }

    [Fact]
    public async Task The_view_names_only_issuers_enough_servers_share_and_gives_shares_of_all_servers()
    {
        var store = await KnownSetAsync();
        var counts = await store.CountAsync(_clock.GetUtcNow().AddDays(-30), Ct);

        var view = FederationStatistics.View(counts, _clock.GetUtcNow(), minimumServers: 2);

        Assert.Equal("Federation works for 66.7 % of the servers whose test finished (2 of 3).", view.Works);
        Assert.Equal("66.7 % of servers publish an IPv6 address for federation (2 of 3); it works for 50 % of them (1 of 2).", view.IPv6);
        var issuers = view.Charts.Single(c => c.Id == "issuers").Bars;
        Assert.Equal([("Let's Encrypt", 2, "66.7 %"), ("other", 1, "33.3 %")], issuers.Select(b => (b.Label, b.Servers, b.Share)));
        var findings = view.Findings.Bars;
        Assert.Equal(["/docs/keys#content-type", "/docs/tls-certificates#expired"], findings.Select(b => b.Href).Order(StringComparer.Ordinal));
        Assert.Contains(findings, b => b.Label == "Certificate expired" && b.Servers == 1);
    }

    [Fact]
    public async Task Facts_go_when_their_result_expires()
    {
        var (store, results) = await OpenAsync();
        await AddAsync(store, "gone.example.test", 20, ("verdict", "works"));

        await results.DeleteCreatedBeforeAsync(_clock.GetUtcNow().AddDays(-10), Ct);

        Assert.Equal(0, (await store.CountAsync(_clock.GetUtcNow().AddDays(-30), Ct)).Servers);
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

    protected virtual void CleanUp()
    {
    }
}

public sealed class SqliteStatisticsTests : StatisticsContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "matrixtester-stats-" + Guid.NewGuid().ToString("N"));

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

public sealed class PostgresStatisticsTests(PostgresDatabase database) : StatisticsContract, IClassFixture<PostgresDatabase>
{
    private string? _connectionString;

    protected override async Task<StorageOptions> OptionsAsync()
    {
        _connectionString ??= await database.NewSchemaAsync();
        return new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _connectionString };
    }
}
