using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.History;

/// <summary>The verdict-over-time picture for <c>/s/{server_name}</c>; reads up to <see cref="HistoryOptions.Limit"/> results.</summary>
public sealed class VerdictHistoryViewComponent(IResultStore store, IOptions<HistoryOptions> options) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string serverName)
    {
        var results = await store.RecentAsync(serverName, options.Value.Limit, HttpContext.RequestAborted);
        return View(VerdictTimeline.From(serverName, results));
    }
}
