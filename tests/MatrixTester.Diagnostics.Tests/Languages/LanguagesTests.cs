namespace MatrixTester.Diagnostics.Tests.Languages;

public sealed class LanguagesTests
{
    [Theory]
    [InlineData("de", "de")]
    [InlineData("de-AT", "de")]
    [InlineData("DE-ch", "de")]
    [InlineData("de_DE.UTF-8", "de")]
    [InlineData("de_CH@euro", "de")]
    [InlineData("en_GB.UTF-8", "en")]
    [InlineData("en", "en")]
    [InlineData("fr_FR.UTF-8", null)]
    [InlineData("C", null)]
    [InlineData("POSIX", null)]
    [InlineData("C.UTF-8", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("qps-ploc", null)]
    public void A_tag_or_locale_names_a_supported_language_by_its_primary_subtag(string? tag, string? expected) =>
        Assert.Equal(expected, MatrixTester.Diagnostics.Languages.Match(tag));

    [Fact]
    public void The_pseudo_locale_is_matched_only_when_allowed() =>
        Assert.Equal("qps-ploc", MatrixTester.Diagnostics.Languages.Match("qps-ploc", allowPseudo: true));

    [Fact]
    public void Under_the_pseudo_locale_resource_strings_are_wrapped_and_arguments_stay_as_given()
    {
        var text = MatrixTester.Diagnostics.Languages.In("qps-ploc", () => EngineText.Format("check.addresses.one", ("host", "hs.example.org")));
        Assert.Equal("[!!1 address for hs.example.org!!]", text);
        Assert.Equal("1 address for hs.example.org", MatrixTester.Diagnostics.Languages.In("en", () => EngineText.Format("check.addresses.one", ("host", "hs.example.org"))));
    }

    [Fact]
    public void German_reads_the_german_resources_and_english_stays_what_reports_keep()
    {
        Assert.Equal("1 Adresse für hs.example.org", MatrixTester.Diagnostics.Languages.In("de", () => EngineText.Format("check.addresses.one", ("host", "hs.example.org"))));
        Assert.Equal("1 address for hs.example.org", MatrixTester.Diagnostics.Languages.In("de", () => EngineText.English("check.addresses.one", ("host", "hs.example.org"))));
    }

    [Fact]
    public void Braces_that_name_no_argument_are_text() =>
        Assert.Equal("Serve {\"m.server\": \"a:443\"} on x", EngineText.Fill("Serve {\"m.server\": \"a:443\"} on {host}", [("host", "x")]));
}
