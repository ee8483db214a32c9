using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.History;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Watches;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.History;

/// <summary>
/// The feed, comparisons and alerts read stored reports: only within the report ceiling, cached, and counted by
/// their own rate limit; feed links come only from Site:PublicUrl. Results are put in the store directly, so each
/// test controls exactly what is stored (and how large it is).
/// </summary>
public sealed class HistoryBoundsTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SiteFactory Site(params (string Key, string Value)[] settings) =>
        new(fixture.Lab, fixture.DataDirectory, settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    private static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..24] + ".example.test";

    /// <summary>A stored report: works, or broken with one error finding whose detail is <paramref name="padding"/> long.</summary>
    private static async Task<string> StoreAsync(SiteFactory site, string name, DateTimeOffset at, bool broken, int padding = 10)
    {
        // Built directly, not through FindingDefinition.Create, which caps the detail: a report stored before the
        // ceiling existed could hold far more.
        Finding[] findings = broken ? [new Finding("test.broke", Severity.Error, $"{name} broke", new string('x', padding), "Fix it.", "keys", name)] : [];
        var verdict = new Verdict(broken ? VerdictStatus.Broken : VerdictStatus.Works, !broken, !broken, null, broken ? "It broke" : "It works");
        var report = new DiagnosisReport { Input = name, ServerName = name, StartedAt = at, Duration = TimeSpan.FromSeconds(1), Findings = findings, Verdict = verdict };
        var stored = new StoredResult(ResultIds.New(), name, at, verdict.Status.ToString(), verdict.Summary, JsonSerializer.Serialize(report, ReportJson.Options));
        await site.Services.GetRequiredService<IResultStore>().SaveAsync(stored, Ct);
        return stored.Id;
    }

    private static async Task<(string Older, string Newer)> BreakAsync(SiteFactory site, string name, int padding = 10)
    {
        var now = DateTimeOffset.UtcNow;
        return (await StoreAsync(site, name, now.AddMinutes(-2), broken: false), await StoreAsync(site, name, now.AddMinutes(-1), broken: true, padding));
    }

    [Fact]
    public async Task Without_a_public_url_feed_links_are_relative_and_never_taken_from_the_host_header()
    {
        await using var site = Site();
        var name = UniqueName("rel");
        var (older, newer) = await BreakAsync(site, name);
        var client = site.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/s/{name}.atom") { Headers = { Host = "evil.example" } };

        using var response = await client.SendAsync(request, Ct);
        var xml = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("evil.example", xml, StringComparison.Ordinal);
        Assert.All(XDocument.Parse(xml).Root!.Descendants(Atom + "link"), l => Assert.StartsWith("/", (string)l.Attribute("href")!, StringComparison.Ordinal));
        var entry = XDocument.Parse(xml).Root!.Elements(Atom + "entry").First();
        Assert.Equal($"/r/{newer}", HistoryTests.Link(entry, "alternate"));
        Assert.Equal($"/r/{newer}?vs={older}", HistoryTests.Link(entry, "related"));
        Assert.False(response.Headers.CacheControl!.Public);
        Assert.True(response.Headers.CacheControl.Private);
    }

    [Fact]
    public async Task With_a_public_url_feed_links_are_absolute_on_it_and_the_feed_may_be_cached_publicly()
    {
        await using var site = Site(("Site:PublicUrl", "https://tester.example.org/"));
        var name = UniqueName("abs");
        var (older, newer) = await BreakAsync(site, name);
        using var response = await site.CreateClient().GetAsync($"/s/{name}.atom", Ct);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!;

        Assert.Equal($"https://tester.example.org/s/{name}", feed.Element(Atom + "id")!.Value);
        Assert.Equal($"https://tester.example.org/s/{name}.atom", HistoryTests.Link(feed, "self"));
        var entry = feed.Elements(Atom + "entry").First();
        Assert.Equal($"https://tester.example.org/r/{newer}", entry.Element(Atom + "id")!.Value);
        Assert.Equal($"https://tester.example.org/r/{newer}?vs={older}", HistoryTests.Link(entry, "related"));
        Assert.True(response.Headers.CacheControl is { Public: true, Private: false, MaxAge.TotalSeconds: 300 });
    }

    [Fact]
    public async Task Feeds_and_comparisons_have_their_own_bucket_and_cached_feeds_and_plain_permalinks_are_free()
    {
        await using var site = Site(("History:RateLimit:TokenLimit", "2"), ("History:RateLimit:TokensPerPeriod", "1"), ("History:RateLimit:ReplenishmentPeriod", "01:00:00"));
        var (a, b) = (UniqueName("ra"), UniqueName("rb"));
        var (older, newer) = await BreakAsync(site, a);
        await BreakAsync(site, b);
        var client = site.CreateClient();

        var feed = await client.GetStringAsync($"/s/{a}.atom", Ct);                                   // token 1
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/r/{newer}?vs={older}", Ct)).StatusCode); // token 2
        using var refused = await client.GetAsync($"/s/{b}.atom", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        var page = await client.GetDocumentAsync($"/r/{newer}?vs={older}", HttpStatusCode.TooManyRequests);
        Assert.Equal(HistoryEndpoints.RateLimit.Title, page.QuerySelector("main h1")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("header.site-header nav"));

        // The built feed comes from the output cache: the same bytes, not counted, even with a newer result stored.
        await StoreAsync(site, a, DateTimeOffset.UtcNow, broken: false);
        Assert.Equal(feed, await client.GetStringAsync($"/s/{a}.atom", Ct));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/r/{newer}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v2/results/{newer}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_stored_report_over_the_ceiling_is_never_parsed_by_pages_feeds_comparisons_or_alerts()
    {
        const int ceiling = 64 * 1024;
        await using var site = Site(("Diagnosis:MaxReportBytes", ceiling.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (small, big) = (UniqueName("sm"), UniqueName("bg"));
        var (_, fits) = await BreakAsync(site, small, padding: ceiling / 2);
        var (older, tooLarge) = await BreakAsync(site, big, padding: ceiling * 2);
        var client = site.CreateClient();

        // Within the ceiling the change is read and listed; over it, the entry has only its list columns.
        Assert.Contains($"{small} broke", await client.GetStringAsync($"/s/{small}.atom", Ct), StringComparison.Ordinal);
        var feed = await client.GetStringAsync($"/s/{big}.atom", Ct);
        Assert.Equal(2, XDocument.Parse(feed).Root!.Elements(Atom + "entry").Count());
        Assert.DoesNotContain($"{big} broke", feed, StringComparison.Ordinal);

        var page = await client.GetDocumentAsync($"/r/{tooLarge}");
        Assert.Contains("too large to show", page.QuerySelector("#report")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/api/v2/results/{tooLarge}", page.QuerySelector("#report a")!.GetAttribute("href"));
        var compare = await client.GetDocumentAsync($"/r/{older}?vs={tooLarge}");
        Assert.Contains("could not be read", compare.QuerySelector(".compare-problem")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(new string('x', ceiling * 2), await client.GetStringAsync($"/api/v2/results/{tooLarge}", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/r/{fits}", Ct)).StatusCode);

        // An alert still sees the verdict of a previous result it cannot parse.
        var rules = site.Services.GetRequiredService<AlertRules>();
        var report = new DiagnosisReport
        {
            Input = big, ServerName = big, StartedAt = DateTimeOffset.UtcNow, Duration = TimeSpan.FromSeconds(1), Findings = [],
            Verdict = new Verdict(VerdictStatus.Works, true, true, null, "It works again"),
        };
        var current = new StoredResult(ResultIds.New(), big, DateTimeOffset.UtcNow, "Works", "It works again", JsonSerializer.Serialize(report, ReportJson.Options));
        await site.Services.GetRequiredService<IResultStore>().SaveAsync(current, Ct);
        var alert = await rules.EvaluateAsync(big, new Diagnoses.FinishedDiagnosis(report, current, true), Ct);
        Assert.Equal(MatrixTester.Diagnostics.Reading.FederationState.Broken, alert!.Previous);
        Assert.Equal(["verdict"], alert.Changes.Select(c => c.Kind));
    }
}
