using MatrixTester.Web.Watches;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MatrixTester.Web.Pages.Watches;

/// <summary>
/// Every mail's unsubscribe link. GET asks first (link scanners must not unsubscribe anybody); POST removes, which
/// is also what a mail client's one-click unsubscribe (RFC 8058, <c>List-Unsubscribe-Post</c>) sends, token in the URL.
/// </summary>
[RefuseCrossSite]
public sealed class UnsubscribeModel(WatchSubscriptions subscriptions) : PageModel
{
    public string? Token { get; private set; }

    public Watch? Watch { get; private set; }

    public Watch? Removed { get; private set; }

    public async Task OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Token = token;
        Watch = await subscriptions.FindForUnsubscribeAsync(token, cancellationToken);
        if (Watch is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        // The form sends it in the body; a one-click unsubscribe posts to the link itself, so it is in the query.
        var token = Request.HasFormContentType && Request.Form["token"] is { Count: > 0 } form ? form.ToString() : Request.Query["token"].ToString();
        Removed = await subscriptions.UnsubscribeAsync(token, cancellationToken);
        if (Removed is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
