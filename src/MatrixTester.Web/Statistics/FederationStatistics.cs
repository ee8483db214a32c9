using MatrixTester.Diagnostics.Findings;
using MatrixTester.Web.Docs;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;
using Facts = MatrixTester.Web.Diagnoses.StatisticFacts;

namespace MatrixTester.Web.Statistics;

/// <summary>What /stats shows: figures over the last <see cref="Days"/> days, when they were counted, and the charts.</summary>
public sealed record StatisticsView(int Days, int Servers, DateTimeOffset CountedAt, string Works, string IPv6, IReadOnlyList<BarChart> Charts, BarChart Findings);

/// <summary>
/// The federation statistics, counted by the database (<see cref="StatisticsStore"/>) and kept for
/// <see cref="StatisticsOptions.CacheDuration"/>: however often /stats is asked for, the aggregate runs at most once
/// per period on each instance. The counts are kept, not the view: the view is worded in each reader's language.
/// </summary>
public sealed class FederationStatistics(StatisticsStore store, IOptions<StatisticsOptions> options, TimeProvider time) : IDisposable
{
    public const int Days = 30;

    private readonly SemaphoreSlim _counting = new(1, 1);
    private (FactCounts Counts, DateTimeOffset At)? _cached;

    public async Task<StatisticsView> GetAsync(CancellationToken cancellationToken)
    {
        var (counts, at) = await CountsAsync(cancellationToken);
        return View(counts, at, options.Value.MinimumServers);
    }

    private async Task<(FactCounts Counts, DateTimeOffset At)> CountsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cached is { } fresh && now - fresh.At < options.Value.CacheDuration)
        {
            return fresh;
        }
        await _counting.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } counted && now - counted.At < options.Value.CacheDuration)
            {
                return counted;
            }
            var counts = await store.CountAsync(now.AddDays(-Days), cancellationToken);
            return (_cached = (counts, now)).Value;
        }
        finally
        {
            _counting.Release();
        }
    }

    public static StatisticsView View(FactCounts counts, DateTimeOffset now, int minimumServers)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var servers = counts.Servers;
        int Count(string kind, string value) => counts.Of(kind).Where(c => c.Value == value).Sum(c => c.Servers);
        var working = Count(Facts.Verdict, "works") + Count(Facts.Verdict, "works_with_warnings");
        var decided = working + Count(Facts.Verdict, "broken");
        var withIPv6 = Count(Facts.IPv6, "works") + Count(Facts.IPv6, "broken");
        // Issuers a few servers use are not named: a certificate's issuer is the server's to choose.
        var issuers = counts.Of(Facts.Issuer).GroupBy(c => c.Servers >= minimumServers || c.Value is "untrusted" ? c.Value : StatisticsWords.OtherToken)
            .Select(g => (g.Key, g.Sum(c => c.Servers)));
        var charts = new List<BarChart>
        {
            BarChart.Of("verdicts", StatisticsWords.Verdicts, servers, counts.Of(Facts.Verdict), StatisticsWords.VerdictName),
            BarChart.Of("delegation", StatisticsWords.Delegation, servers, counts.Of(Facts.Delegation), StatisticsWords.DelegationName),
            BarChart.Of("ipv6", StatisticsWords.IPv6, servers, counts.Of(Facts.IPv6), StatisticsWords.IPv6Name),
            BarChart.Of("software", StatisticsWords.Software, servers, counts.Of(Facts.Software), v => v),
            BarChart.Of("versions", StatisticsWords.Versions, servers, counts.Of(Facts.Version), v => v, top: 10),
            BarChart.Of("tls", StatisticsWords.Tls, servers, counts.Of(Facts.Tls), v => v, note: StatisticsWords.TlsNote),
            BarChart.Of("issuers", StatisticsWords.Issuers, servers, issuers, StatisticsWords.IssuerName, note: StatisticsWords.IssuersNote(minimumServers)),
        };
        var findings = BarChart.Of("findings", StatisticsWords.Findings, servers, counts.Of(Facts.Finding),
            id => FindingCatalog.Find(id)?.Title() ?? id, top: 10, href: id => FindingCatalog.Find(id) is { } found ? FindingsTable.DocsLink(found.Docs) : null);
        return new StatisticsView(Days, servers, now, StatisticsWords.Works(working, decided),
            StatisticsWords.IPv6Share(withIPv6, servers, Count(Facts.IPv6, "works")), charts, findings);
    }

    public void Dispose() => _counting.Dispose();
}
