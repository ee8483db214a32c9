using MatrixTester.Diagnostics;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Pages;

/// <summary>A server name's recent results, newest first, and its uptime when it is watched.</summary>
public sealed class ServerModel(IResultStore store, UptimeStore uptime, ServerNameInput input, IOptions<StorageOptions> storage, TimeProvider time) : PageModel
{
    public string Name { get; private set; } = "";

    public IReadOnlyList<ResultSummary> Results { get; private set; } = [];

    /// <summary>Over 7, 30 and 90 days, from the results of scheduled checks (none unless the name is watched).</summary>
    public Uptime Uptime { get; private set; } = new([]);

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken cancellationToken)
    {
        if (input.Problem(name) is not null || !Diagnostics.ServerName.TryParse(name, out var parsed, out _))
        {
            return NotFound();
        }
        Name = parsed.Text;
        Results = await store.RecentAsync(Name, storage.Value.RecentLimit, cancellationToken);
        Uptime = await uptime.UptimeAsync(Name, time.GetUtcNow(), cancellationToken);
        return Page();
    }
}
