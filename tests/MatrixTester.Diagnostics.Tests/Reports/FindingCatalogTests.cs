using System.Text.RegularExpressions;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tests.ReportFormats;

public sealed partial class FindingCatalogTests
{
    private static string DocsDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MatrixTester.sln")))
                {
                    return Path.Combine(dir.FullName, "docs");
                }
            }
            throw new InvalidOperationException("repository root not found");
        }
    }

    [Fact]
    public void Every_finding_has_a_unique_well_formed_id_and_complete_text()
    {
        Assert.True(FindingCatalog.All.Count >= 100);
        Assert.Equal(FindingCatalog.All.Count, FindingCatalog.All.Select(d => d.Id).Distinct().Count());
        Assert.All(FindingCatalog.All, d =>
        {
            Assert.Matches(IdPattern(), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Title));
            Assert.False(string.IsNullOrWhiteSpace(d.Fix));
        });
    }

    [Fact]
    public void Every_finding_links_to_a_docs_page_and_anchor_that_exist()
    {
        var missing = new List<string>();
        foreach (var definition in FindingCatalog.All)
        {
            var parts = definition.Docs.Split('#', 2);
            var page = Path.Combine(DocsDirectory, parts[0] + ".md");
            if (!File.Exists(page))
            {
                missing.Add($"{definition.Id}: no page {parts[0]}.md");
            }
            else if (parts.Length == 2 && !File.ReadAllText(page).Contains($"{{#{parts[1]}}}", StringComparison.Ordinal))
            {
                missing.Add($"{definition.Id}: no anchor #{parts[1]} in {parts[0]}.md");
            }
        }
        Assert.Empty(missing);
    }

    [GeneratedRegex("^[a-z0-9_]+(\\.[a-z0-9_]+)+$")]
    private static partial Regex IdPattern();
}
