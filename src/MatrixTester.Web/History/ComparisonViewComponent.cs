using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.ReportViews;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.History;

/// <summary>A stored result as one side of a comparison, with its federation state as the reading decides it.</summary>
public sealed record ComparedResult(string Id, DateTimeOffset CreatedAt, FederationState State);

/// <summary>
/// What the result page shows about other results: without <c>vs</c>, a link to compare with the previous result of
/// the same server name; with <c>vs</c>, the changes from the older of the two results to the newer one.
/// </summary>
public sealed record ComparisonView(
    string CurrentId,
    string ServerName,
    ResultSummary? Previous,
    ComparedResult? Older,
    ComparedResult? Newer,
    IReadOnlyList<ReportChange> Changes,
    bool DifferentNames,
    string? Problem)
{
    public bool IsComparison => Older is not null && Newer is not null;

    /// <summary>A CSS class per kind of change (colour and icon only; the sentence carries the meaning).</summary>
    public static string Kind(ReportChange change) => change switch
    {
        VerdictChange => "verdict",
        ClientsChange => "clients",
        DelegationChange => "delegation",
        AddressesChange => "addresses",
        CertificateChange => "certificate",
        KeysChange => "keys",
        FindingGone => "gone",
        FindingAdded { Finding.Severity: Severity.Error } => "added-error",
        _ => "added",
    };
}

/// <summary>The comparison section of <c>/r/{id}</c> (and <c>/r/{id}?vs={otherId}</c>).</summary>
public sealed class ComparisonViewComponent(IResultStore store, StoredReports reports, ComparisonCache cache, IOptions<HistoryOptions> options) : ViewComponent
{
    private const string Missing = "There is no stored result with the id given in vs to compare with (results expire after a while).";

    public async Task<IViewComponentResult> InvokeAsync(ReportView report, string? vs)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cancellationToken = HttpContext.RequestAborted;
        var empty = new ComparisonView(report.Id, report.DisplayName, null, null, null, [], false, null);
        if (string.IsNullOrEmpty(vs))
        {
            var recent = await store.RecentAsync(report.DisplayName, options.Value.Limit, cancellationToken);
            var index = recent.ToList().FindIndex(r => r.Id == report.Id);
            return View(empty with { Previous = index >= 0 && index + 1 < recent.Count ? recent[index + 1] : null });
        }
        if (vs == report.Id)
        {
            return View(empty with { Problem = "That is this same result: choose another one to compare with." });
        }
        // Ids are checked before they reach the store, so junk never becomes a query.
        if (!ResultIds.IsWellFormed(vs))
        {
            return View(empty with { Problem = Missing });
        }
        var problem = Missing;
        var comparison = await cache.GetOrCompareAsync(report.Id, vs, async () =>
        {
            var (compared, why) = await CompareAsync(report.Id, vs, cancellationToken);
            problem = why;
            return compared;
        });
        return comparison is null
            ? View(empty with { Problem = problem })
            : View(empty with { Older = comparison.Older, Newer = comparison.Newer, Changes = comparison.Changes, DifferentNames = comparison.DifferentNames });
    }

    /// <summary>Both reports, each read within the report ceiling, compared older to newer; or why not.</summary>
    private async Task<(Comparison? Comparison, string Problem)> CompareAsync(string id, string vs, CancellationToken cancellationToken)
    {
        var other = await reports.GetAsync(vs, cancellationToken);
        var current = await reports.GetAsync(id, cancellationToken);
        if (other is null || current is null)
        {
            return (null, Missing);
        }
        var (older, newer) = other.CreatedAt <= current.CreatedAt ? (other, current) : (current, other);
        if (older.TooLarge || newer.TooLarge || ReportJson.Read(older.Json) is not { } before || ReportJson.Read(newer.Json) is not { } after)
        {
            return (null, "One of the two stored results could not be read, so they cannot be compared.");
        }
        return (new Comparison(
            new ComparedResult(older.Id, older.CreatedAt, ReportReading.Of(before).Federation.State),
            new ComparedResult(newer.Id, newer.CreatedAt, ReportReading.Of(after).Federation.State),
            ReportDiff.Compare(before, after), older.ServerName != newer.ServerName), "");
    }
}
