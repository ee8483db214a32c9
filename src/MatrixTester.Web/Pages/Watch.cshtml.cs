using MatrixTester.Web.Watches;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace MatrixTester.Web.Pages;

/// <summary>Where the result page's "watch this server" form posts: the same rules and limits as <c>POST /api/v2/watches</c>.</summary>
[EnableRateLimiting(WatchServices.CreateLimitName)]
[RefuseCrossSite]
public sealed class WatchModel(WatchSubscriptions subscriptions) : PageModel
{
    public WatchOutcome? Outcome { get; private set; }

    /// <summary>What was typed, shown again in the form when the watch was not created.</summary>
    public string? Email { get; private set; }

    public string? Webhook { get; private set; }

    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "server_name")] string? serverName, string? email, string? webhook, CancellationToken cancellationToken)
    {
        (Email, Webhook) = (email, webhook);
        Outcome = await subscriptions.CreateAsync(new WatchRequest(serverName, email, webhook), cancellationToken);
        if (Outcome.Problem is not null)
        {
            Response.StatusCode = Outcome.Status;
        }
        return Page();
    }
}
