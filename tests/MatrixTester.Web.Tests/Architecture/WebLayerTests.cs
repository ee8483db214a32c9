using System.Text.RegularExpressions;
using MatrixTester.Diagnostics.Tests.Architecture;

namespace MatrixTester.Web.Tests.Architecture;

/// <summary>
/// The site's folders depend on each other only along the arrows of <see cref="WebLayers.Allowed"/>, found by
/// reflection over every type of the web assembly (Razor views included: they compile into the Pages namespace).
/// </summary>
public sealed partial class WebLayerTests
{
    private static readonly LayerGraph Site = new(typeof(Program).Assembly, WebLayers.RootNamespace);

    [Fact]
    public void Every_cross_folder_reference_in_the_site_follows_an_allowed_arrow()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(Site.Describe());

        var violations = Site.Violations(WebLayers.Allowed);

        Assert.True(violations.Count == 0,
            "References along arrows the layer table does not allow (move the type, pass a delegate or value in, or add the arrow to WebLayers and the README on purpose):\n"
            + string.Join("\n", violations));
    }

    [Fact]
    public void Every_folder_of_the_site_has_a_row_in_the_layer_table()
    {
        var missing = Site.Folders.Where(f => !WebLayers.Allowed.ContainsKey(f)).Order(StringComparer.Ordinal).ToArray();

        Assert.True(missing.Length == 0, $"Folders with no row in WebLayers.Allowed: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_allowed_arrows_have_no_cycle_and_lead_to_folders_in_the_table()
    {
        Assert.Null(LayerGraph.FindCycle(WebLayers.Allowed));
        Assert.Empty(WebLayers.Allowed.SelectMany(row => row.Value.Where(to => !WebLayers.Allowed.ContainsKey(to)).Select(to => $"{row.Key} → {to}")));
    }

    [Fact]
    public void A_reference_the_table_does_not_allow_is_named_with_its_type()
    {
        var table = new Dictionary<string, string[]>(WebLayers.Allowed) { ["Diagnoses"] = ["Abuse"] };

        var violations = Site.Violations(table);

        Assert.Contains(violations, v => v.ToString().StartsWith("Diagnoses → Storage: MatrixTester.Web.Diagnoses.PermalinkWriter uses MatrixTester.Web.Storage.", StringComparison.Ordinal));
        Assert.All(violations, v => Assert.Equal("Diagnoses", v.FromFolder));
    }

    [Fact]
    public void The_readme_beside_the_code_shows_the_same_table()
    {
        var readme = File.ReadAllText(Path.Combine(SiteProcess.RepositoryRoot().FullName, "src", "MatrixTester.Web", "README.md"));
        var rows = LayerRow().Matches(readme).ToDictionary(
            m => m.Groups["folder"].Value.TrimEnd('/'),
            m => Uses(m.Groups["folder"].Value.TrimEnd('/'), m.Groups["uses"].Value.Trim()));

        Assert.Equal(
            WebLayers.Allowed.ToDictionary(r => r.Key == LayerGraph.Root ? "root" : r.Key, r => r.Value.Select(f => f == LayerGraph.Root ? "root" : f).Order(StringComparer.Ordinal).ToArray()),
            rows);
    }

    /// <summary>The folders a README row lists ("—" for none, "every folder" for the composition).</summary>
    private static string[] Uses(string folder, string text) => text switch
    {
        "—" => [],
        "every folder" => [.. WebLayers.Allowed.Keys.Select(f => f == LayerGraph.Root ? "root" : f).Where(f => f != folder).Order(StringComparer.Ordinal)],
        _ => [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(f => f.Trim('`').TrimEnd('/')).Order(StringComparer.Ordinal)],
    };

    /// <summary>A row of the README's layer table: | `Folder/` | layer | `Uses/`, `Other/` | …</summary>
    [GeneratedRegex(@"^\| `(?<folder>[A-Za-z]+/?)` \| [^|]+ \| (?<uses>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex LayerRow();
}
