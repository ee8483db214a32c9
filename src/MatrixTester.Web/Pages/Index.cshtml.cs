using MatrixTester.Web.Diagnoses;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using MatrixTester.Web.Hosting;

namespace MatrixTester.Web.Pages;

/// <summary>
/// The homepage. <c>/?server_name=x</c> runs the diagnosis on the server and renders the finished report, so the
/// page works without JavaScript; the script instead streams it live (it navigates with <c>stream=1</c>, which
/// makes this page render only the form and the live area, and the script starts the stream).
/// </summary>
[EnableRateLimiting(RateLimits.Diagnosis)]
public sealed class IndexModel(DiagnosisRunner runner, ServerNameInput input) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "server_name")]
    public string? ServerName { get; set; }

    [BindProperty(SupportsGet = true, Name = "stream")]
    public string? Stream { get; set; }

    public ReportView? Report { get; private set; }

    public string? AutoStart { get; private set; }

    public CheckFormModel Form { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var name = ServerName?.Trim();
        Form = new CheckFormModel(name, input.MaxLength);
        if (string.IsNullOrEmpty(name))
        {
            return Page();
        }
        if (input.Problem(name) is { } problem)
        {
            Form = Form with { Value = null, Error = problem };
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (Stream == "1")
        {
            AutoStart = name;
            return Page();
        }
        var finished = await runner.RunAsync(name, cancellationToken);
        Report = ReportView.From(finished.Stored);
        return Page();
    }
}
