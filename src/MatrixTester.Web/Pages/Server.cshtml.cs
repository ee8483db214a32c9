using MatrixTester.Diagnostics;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Pages;

/// <summary>A server name's recent results, newest first.</summary>
public sealed class ServerModel(IResultStore store, ServerNameInput input, IOptions<StorageOptions> storage) : PageModel
{
    public string Name { get; private set; } = "";

    public IReadOnlyList<ResultSummary> Results { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken cancellationToken)
    {
        if (input.Problem(name) is not null || !Diagnostics.ServerName.TryParse(name, out var parsed, out _))
        {
            return NotFound();
        }
        Name = parsed.Text;
        Results = await store.RecentAsync(Name, storage.Value.RecentLimit, cancellationToken);
        return Page();
    }
}
