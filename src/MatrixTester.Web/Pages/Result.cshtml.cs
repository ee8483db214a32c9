using MatrixTester.Web.Abuse;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.History;
using MatrixTester.Web.Permalinks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace MatrixTester.Web.Pages;

/// <summary>
/// A permalink: the stored report exactly as it was, with its date and a button to run the test again. The report is
/// read within the report ceiling; with <c>?vs=</c> the page also compares, and then counts against the history rate
/// limit (a plain permalink never does).
/// </summary>
[EnableRateLimiting(HistoryRateLimit.Policy)]
[RateLimitMessage(HistoryRateLimit.Title, HistoryRateLimit.Text)]
public sealed class ResultModel(StoredReports reports) : PageModel
{
    public ReportView Report { get; private set; } = null!;

    /// <summary>Set instead of <see cref="Report"/> for a result stored before reports had a ceiling, and longer than it.</summary>
    public StoredResult? TooLarge { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await reports.GetAsync(id, cancellationToken) is not { } stored)
        {
            return NotFound();
        }
        if (stored.TooLarge)
        {
            TooLarge = stored;
            return Page();
        }
        Report = ReportView.From(stored);
        return Page();
    }

    /// <summary>Only the report, for the live page to swap in once the stream has finished (same markup as here).</summary>
    public async Task<IActionResult> OnGetFragmentAsync(string id, CancellationToken cancellationToken) =>
        await reports.GetAsync(id, cancellationToken) switch
        {
            null => NotFound(),
            { TooLarge: true } stored => Partial("_TooLarge", stored),
            var stored => Partial("_Report", ReportView.From(stored)),
        };
}
