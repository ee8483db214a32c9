using MatrixTester.Web.Abuse;
using MatrixTester.Web.Diagnoses;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MatrixTester.Web.Pages;

/// <summary>
/// The homepage. <c>/?server_name=x</c> runs the diagnosis on the server and renders the finished report, so the
/// page works without JavaScript; the script instead streams it live (it navigates with <c>stream=1</c>, which
/// makes this page render only the form and the live area, and the script starts the stream).
/// </summary>
public sealed class IndexModel(DiagnosisAdmission admission, SharedDiagnoses shared) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "server_name")]
    public string? ServerName { get; set; }

    [BindProperty(SupportsGet = true, Name = "stream")]
    public string? Stream { get; set; }

    /// <summary><c>fresh=1</c>: "run again", bypassing the reuse of a recent result (within the minimum interval).</summary>
    [BindProperty(SupportsGet = true, Name = "fresh")]
    public string? Fresh { get; set; }

    public ReportView? Report { get; private set; }

    /// <summary>Why an older result is shown (reused, or run again too soon).</summary>
    public string? Notice { get; private set; }

    public string? AutoStart { get; private set; }

    public CheckFormModel Form { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var name = ServerName?.Trim();
        Form = new CheckFormModel(name, admission.MaxInputLength);
        if (string.IsNullOrEmpty(name))
        {
            return Page();
        }
        if (Stream == "1" && admission.Problem(name) is null)
        {
            AutoStart = name;
            return Page();
        }
        // Counted here whatever the method (HEAD runs this handler too) or the handler asked for.
        var admitted = admission.Admit(name, Fresh == "1", DiagnosisClient.Of(HttpContext));
        if (admitted.Problem is { } problem)
        {
            // The one status for it; the form shows the problem where the visitor typed the name.
            Form = Form with { Value = null, Error = problem };
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (AdmissionResponses.Refusal(admitted) is { } refused)
        {
            return AdmissionResponses.ForPage(refused);
        }
        Notice = admitted.Notice;
        var finished = await admitted.FinishedAsync(cancellationToken);
        Report = ReportView.From(finished);
        return Page();
    }

    /// <summary>
    /// The report of a result that could not be saved, for the live page to swap in (a saved one comes from its
    /// permalink instead). Reads this instance's memory only and never starts a diagnosis; 404 when it is gone.
    /// </summary>
    public IActionResult OnGetFragment() =>
        ServerName is { Length: > 0 } name && admission.Problem(name) is null && shared.Finished(name) is { } finished
            ? Partial("_Report", ReportView.From(finished))
            : NotFound();
}
