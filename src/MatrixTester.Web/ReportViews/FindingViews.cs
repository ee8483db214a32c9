using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Web.Docs;

namespace MatrixTester.Web.ReportViews;

/// <summary>How the page lists findings: grouped by the verdict they count for, each with its docs link and a tag when it is not about federation.</summary>
internal static class FindingViews
{
    /// <summary>Federation first (the headline's), then the test itself, then clients, calls, login, the two-way check.</summary>
    public static int Order(Finding finding) => finding.PartOf() switch
    {
        ReportPart.Federation => 0,
        ReportPart.Run => 1,
        ReportPart.Clients => 2,
        ReportPart.Calls => 3,
        ReportPart.Login => 4,
        _ => 5,
    };

    /// <summary>A tag naming the verdict the finding counts for; null for federation findings.</summary>
    public static string? PartTag(Finding finding) => finding.PartOf() is var part && part == ReportPart.Federation ? null : VerdictWords.Part(part);

    public static string DocsUrl(Finding finding) => FindingsTable.DocsLink(finding.Docs);

    public static string SeverityClass(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };
}
