using MatrixTester.Web.Docs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MatrixTester.Web.Pages.Docs;

/// <summary>One docs page by slug. The slug only selects from the pages loaded at start; it is never a path.</summary>
public sealed class PageModel(DocsLibrary docs) : Microsoft.AspNetCore.Mvc.RazorPages.PageModel
{
    public DocPage Doc { get; private set; } = null!;

    public IActionResult OnGet(string slug)
    {
        if (docs.Find(slug) is not { } page)
        {
            return NotFound();
        }
        Doc = page;
        return Page();
    }
}
