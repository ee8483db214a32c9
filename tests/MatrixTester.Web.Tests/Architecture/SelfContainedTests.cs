using System.Text.RegularExpressions;

namespace MatrixTester.Web.Tests.Architecture;

/// <summary>
/// What a maintainer needs is in the repository: no comment or text in src/ or tests/ points at a document that is
/// not (the design notes and research the project started from, or the issue tracker). The knowledge they held is in
/// the READMEs, in our own words.
/// </summary>
public sealed partial class SelfContainedTests
{
    private static readonly string[] Extensions = [".cs", ".cshtml", ".js", ".css", ".md", ".json", ".csproj", ".props", ".sh"];

    [Fact]
    public void No_file_in_src_or_tests_points_at_a_document_outside_the_repository()
    {
        var root = SiteProcess.RepositoryRoot().FullName;
        var files = Files(root).ToList();
        var offenders = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (OutsideDocument().Match(lines[i]) is { Success: true } match)
                {
                    offenders.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {match.Value}");
                }
            }
        }

        Assert.Contains(files, f => f.EndsWith(Path.Combine("Api", "CompatibleApi.cs"), StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(Path.Combine("lab-peer", "README.md"), StringComparison.Ordinal));
        Assert.True(offenders.Count == 0, "Point at the README or the spec instead:\n" + string.Join("\n", offenders));
    }

    [Theory]
    [InlineData("/// (ENGINEERING.md, \"Shape\")")]
    [InlineData("// protocol-notes §5.6 extra vector")]
    [InlineData("/// (go-report-format.md §1.1)")]
    [InlineData("/// see prior-art for what users ask")]
    [InlineData("/// the notes in reference/ say so")]
    [InlineData("/// <summary>Issue 10, rule 5: keys</summary>")]
    [InlineData("// the failures issue 12's check must tell apart")]
    public void The_scan_recognises_each_kind_of_outside_reference(string line) =>
        Assert.Matches(OutsideDocument(), line);

    [Theory]
    [InlineData("/// (spec, server-server API, \"Retrieving server keys\")")]
    [InlineData("/// (the engine README, \"Canonical JSON\")")]
    [InlineData("/// the reference tester's rule")]
    [InlineData("var issues = 10;")]
    public void References_inside_the_repository_and_ordinary_words_pass(string line) =>
        Assert.DoesNotMatch(OutsideDocument(), line);

    /// <summary>Hand-written files of src/ and tests/ (not build output or installed packages), this file excepted.</summary>
    private static IEnumerable<string> Files(string root) =>
        new[] { "src", "tests" }.SelectMany(top => Directory.EnumerateFiles(Path.Combine(root, top), "*", SearchOption.AllDirectories))
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or "TestResults"))
            .Where(f => !f.EndsWith("package-lock.json", StringComparison.Ordinal) && !f.EndsWith(nameof(SelfContainedTests) + ".cs", StringComparison.Ordinal));

    [GeneratedRegex(@"ENGINEERING\.md|protocol-notes|go-report-format|prior-art|calls-and-login|seed-docs|(?<![\w./-])reference/|\b[Ii]ssue #?\d+")]
    private static partial Regex OutsideDocument();
}
