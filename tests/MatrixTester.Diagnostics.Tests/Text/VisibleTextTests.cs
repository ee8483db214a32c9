namespace MatrixTester.Diagnostics.Tests.Text;

public sealed class VisibleTextTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "matrix.example.org:443", "matrix.example.org:443" },
        { "a\r\nb", "a\\u000d\\u000ab" },
        { "\u001b[31mred", "\\u001b[31mred" },
        { "tab\there", "tab\\u0009here" },
        { "nul\0", "nul\\u0000" },
        { "del\u007f c1\u0085", "del\\u007f c1\\u0085" },
        { "line\u2028para\u2029", "line\\u2028para\\u2029" },
        { "a\u202eb\u2066c\u200fd", "a\\u202eb\\u2066c\\u200fd" },
        // Whole characters stay as they are, outside the BMP too.
        { "bücher \ud83d\ude00 \u00e9", "bücher \ud83d\ude00 \u00e9" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Layout_characters_become_visible_escapes_and_everything_else_stays(string text, string expected)
    {
        Assert.Equal(expected, VisibleText.Escape(text));
        Assert.Equal(text != expected, VisibleText.NeedsEscaping(text));
    }

    // Not theory data: the test runner's serialization of theory arguments would replace the lone halves itself.
    [Fact]
    public void A_half_of_a_surrogate_pair_becomes_a_visible_escape()
    {
        Assert.Equal("half\\ud800", VisibleText.Escape("half\ud800"));
        Assert.Equal("\\udc00\\ud800", VisibleText.Escape("\udc00\ud800"));
        Assert.True(VisibleText.NeedsEscaping("\ud800"));
    }

    [Fact]
    public void Null_is_empty_text()
    {
        Assert.Equal("", VisibleText.Escape(null));
    }
}
