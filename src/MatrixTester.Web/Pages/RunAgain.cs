using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace MatrixTester.Web.Pages;

/// <summary>
/// Whether a report shows its own "Run again" button: on the live page (where a reused result's notice points to
/// it), not on a permalink (which has one beside its heading).
/// </summary>
public static class RunAgain
{
    public const string Key = "RunAgain";

    public static bool Shown(ViewDataDictionary viewData) => viewData is not null && viewData[Key] is true;

    public static void Show(ViewDataDictionary viewData)
    {
        ArgumentNullException.ThrowIfNull(viewData);
        viewData[Key] = true;
    }

    /// <summary>The report fragment the live page swaps in, with its button.</summary>
    public static IActionResult Show(IActionResult result)
    {
        if (result is PartialViewResult partial)
        {
            Show(partial.ViewData);
        }
        return result;
    }
}
