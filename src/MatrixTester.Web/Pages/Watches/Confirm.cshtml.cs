using MatrixTester.Web.Watches;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MatrixTester.Web.Pages.Watches;

/// <summary>The link in the confirmation mail: GET asks, POST confirms (double opt-in).</summary>
[RefuseCrossSite]
public sealed class ConfirmModel(WatchStore store, WatchSubscriptions subscriptions) : PageModel
{
    public string? Token { get; private set; }

    public bool Known { get; private set; }

    public Watch? Confirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Token = token;
        Known = WatchTokens.LooksLikeToken(token) && await store.FindByConfirmTokenAsync(token!, cancellationToken) is not null;
        return NotFoundUnless(Known);
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? token, CancellationToken cancellationToken)
    {
        Confirmed = await subscriptions.ConfirmAsync(token, cancellationToken);
        Known = Confirmed is not null;
        return NotFoundUnless(Known);
    }

    private PageResult NotFoundUnless(bool known)
    {
        if (!known)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }
}
