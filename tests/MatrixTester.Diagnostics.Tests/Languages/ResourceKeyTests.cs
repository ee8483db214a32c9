using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MatrixTester.Diagnostics.Tests.Languages;

/// <summary>
/// Every resource file (<c>src/**/Resources/*.resx</c>, English) has a translation per supported language with the
/// same keys, no empty string and the same placeholders: a string added in English fails here until it is translated.
/// </summary>
public sealed partial class ResourceKeyTests
{
    public static TheoryData<string, string> Translations()
    {
        var data = new TheoryData<string, string>();
        foreach (var english in EnglishFiles())
        {
            foreach (var language in MatrixTester.Diagnostics.Languages.Supported.Skip(1))
            {
                data.Add(Path.GetRelativePath(Root, english), language);
            }
        }
        return data;
    }

    [Fact]
    public void The_engine_the_site_and_the_cli_each_have_resources()
    {
        var names = EnglishFiles().Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')).ToList();
        Assert.Contains("src/MatrixTester.Diagnostics/Resources/Engine.resx", names);
        Assert.Contains("src/MatrixTester.Web/Resources/SiteText.resx", names);
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_key_is_translated_with_the_same_placeholders(string englishFile, string language)
    {
        var english = Read(Path.Combine(Root, englishFile));
        var translatedFile = Path.Combine(Root, englishFile[..^".resx".Length] + $".{language}.resx");
        Assert.True(File.Exists(translatedFile), $"{englishFile} has no {language} translation ({translatedFile}).");
        var translated = Read(translatedFile);

        var missing = english.Keys.Except(translated.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"Not translated into {language} in {englishFile}: {string.Join(", ", missing)}");
        var extra = translated.Keys.Except(english.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.True(extra.Count == 0, $"Keys in the {language} file that English no longer has: {string.Join(", ", extra)}");
        var empty = translated.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key).ToList();
        Assert.True(empty.Count == 0, $"Empty {language} strings: {string.Join(", ", empty)}");
        var wrongPlaceholders = english.Keys
            .Where(k => !Placeholders(english[k]).SetEquals(Placeholders(translated[k])))
            .Select(k => $"{k} ({string.Join(" ", Placeholders(english[k]))} vs {string.Join(" ", Placeholders(translated[k]))})")
            .ToList();
        Assert.True(wrongPlaceholders.Count == 0, $"Placeholders differ: {string.Join("; ", wrongPlaceholders)}");
    }

    [Fact]
    public void Placeholders_are_names_or_numbers_and_quoted_json_is_not_one()
    {
        Assert.Equal(["{0}", "{server}"], Placeholders("{server} and {0} but not {\"m.server\": 1}").Order(StringComparer.Ordinal));
    }

    internal static string Root { get; } = FindRoot();

    private static IEnumerable<string> EnglishFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.resx", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileNameWithoutExtension(f).Contains('.', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    internal static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{[A-Za-z0-9_]+(?::[^}]*)?\}")]
    private static partial Regex Placeholder();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MatrixTester.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("No MatrixTester.sln above the test binaries.");
    }
}
