using MatrixTester.Web.Statistics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Pages;

/// <summary>/stats: what the tester found across the federation in the last 30 days, without a server name; 404 when turned off.</summary>
public sealed class StatsModel(FederationStatistics statistics, IOptions<StatisticsOptions> options) : PageModel
{
    public StatisticsView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return NotFound();
        }
        View = await statistics.GetAsync(cancellationToken);
        return Page();
    }
}
