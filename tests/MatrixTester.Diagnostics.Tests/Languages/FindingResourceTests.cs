using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tests.Languages;

/// <summary>
/// Each finding kind's title and fix live in the resources under its id (<c>{id}.Title</c>, <c>{id}.Fix</c>), the
/// English equal to its definition's: a new finding fails here until it has both (and the key test then asks for its
/// translations).
/// </summary>
public sealed class FindingResourceTests
{
    public static TheoryData<string> Ids() => [.. FindingCatalog.All.Select(d => d.Id).Distinct()];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Title_and_fix_are_resources_equal_to_the_definition(string id)
    {
        foreach (var definition in FindingCatalog.All.Where(d => d.Id == id))
        {
            Assert.True(EngineText.Has($"{id}.Title"), $"No resource {id}.Title");
            Assert.True(EngineText.Has($"{id}.Fix"), $"No resource {id}.Fix");
            Assert.Equal(definition.Title, EngineText.English($"{id}.Title"));
            Assert.Equal(definition.Fix, EngineText.English($"{id}.Fix"));
        }
    }

    [Fact]
    public void The_catalog_is_not_empty() => Assert.True(FindingCatalog.All.Count > 100, $"{FindingCatalog.All.Count} finding kinds");

    [Fact]
    public void A_finding_made_of_text_keeps_its_english_and_translates_its_default_fix()
    {
        var finding = DnsFindings.NxDomain.Create("nope.example.org does not exist", "NXDOMAIN from 192.0.2.53", "nope.example.org");
        Assert.Equal(DnsFindings.NxDomain.Fix, finding.Fix);
        var german = MatrixTester.Diagnostics.Languages.In("de", () => finding.Words());
        Assert.Equal("nope.example.org does not exist", german.Summary);
        Assert.StartsWith("Legen Sie A- und/oder AAAA-Einträge", german.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finding_stored_without_phrases_reads_as_stored_except_a_default_fix()
    {
        var stored = new Finding("dns.nxdomain", Severity.Error, "old summary", "old detail", "old fix", "dns#nxdomain");
        Assert.Equal(new FindingText("old summary", "old detail", "old fix"), MatrixTester.Diagnostics.Languages.In("de", () => stored.Words()));
        var withDefaultFix = stored with { Fix = DnsFindings.NxDomain.Fix };
        Assert.StartsWith("Legen Sie A- und/oder AAAA-Einträge", MatrixTester.Diagnostics.Languages.In("de", () => withDefaultFix.Words()).Fix, StringComparison.Ordinal);
    }
}
