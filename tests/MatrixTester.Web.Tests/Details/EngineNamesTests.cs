namespace MatrixTester.Web.Tests.Details;

/// <summary>The list the page scans use: it holds the names the issue saw on pages, and plain terms are not in it.</summary>
public sealed class EngineNamesTests
{
    [Theory]
    [InlineData("NoAddress")]
    [InlineData("ConnectionFailed")]
    [InlineData("NxDomain")]
    [InlineData("WorksWithWarnings")]
    [InlineData("Is I Pv6")]
    [InlineData("M Server")]
    [InlineData("Cname Chain")]
    [InlineData("Is Success")]
    [InlineData("cnameChain")]
    public void The_list_holds_the_names_seen_on_pages(string name) => Assert.Contains(name, EngineNames.All);

    [Fact]
    public void Names_are_found_as_words_and_plain_terms_are_not_names()
    {
        Assert.Equal(["NoAddress"], EngineNames.In("✓ PASSED … unusable (NoAddress)"));
        Assert.Equal(["Cname Chain"], EngineNames.In("Cname Chain: alias.example.org"));
        Assert.Empty(EngineNames.In("IPv4: works · IPv6: no address · Host header · the SRV records of _matrix-fed._tcp.example.org"));
        Assert.Empty(EngineNames.In("This tester has no Matrix identity (Federation:ServerName is not set)."));
        Assert.DoesNotContain("IPv6", EngineNames.All);
    }
}
