using System.Collections.Concurrent;
using MatrixTester.Lab;

namespace MatrixTester.Web.Tests.Details;

/// <summary>
/// The browser fixture with a short time limit (so the timed-out scenario ends in seconds), results reused for ten
/// minutes, and the detail scenarios in its lab. Each scenario is diagnosed once, without JavaScript, and its permalink shared by the tests.
/// </summary>
public sealed class DetailsFixture : BrowserFixture
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _permalinks = new(StringComparer.Ordinal);
    private Task? _scenarios;

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Diagnosis:OverallDeadline"] = "00:00:06",
        ["Diagnosis:RequestTimeout"] = "00:01:00",
        // A result asked for again within ten minutes is reused, with a notice, as on a public site.
        ["Abuse:ReuseWindow"] = "00:10:00",
    };

    public HttpClient Client { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public Task ScenariosAsync() => _scenarios ??= DetailScenarios.StartAsync(Site.Lab);

    /// <summary>The permalink ("/r/…") of one diagnosis of <paramref name="name"/>, run on the first call.</summary>
    public Task<string> PermalinkAsync(string name) =>
        _permalinks.GetOrAdd(name, n => new Lazy<Task<string>>(() => RunAsync(n))).Value;

    private async Task<string> RunAsync(string name)
    {
        await ScenariosAsync();
        var page = await Client.GetDocumentAsync($"/?server_name={name}");
        return page.QuerySelector("#report a.permalink")?.GetAttribute("href") ?? throw new InvalidOperationException($"no permalink for {name}");
    }

    public override async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await base.DisposeAsync();
    }
}
