using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Permalinks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MatrixTester.Web.Pages;

/// <summary>A permalink: the stored report exactly as it was, with its date and a button to run the test again.</summary>
public sealed class ResultModel(IResultStore store) : PageModel
{
    public ReportView Report { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } stored)
        {
            return NotFound();
        }
        Report = ReportView.From(stored);
        return Page();
    }

    /// <summary>Only the report, for the live page to swap in once the stream has finished (same markup as here).</summary>
    public async Task<IActionResult> OnGetFragmentAsync(string id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } stored ? Partial("_Report", ReportView.From(stored)) : NotFound();
}
