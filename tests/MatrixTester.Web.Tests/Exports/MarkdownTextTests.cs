using MatrixTester.Web.ReportViews;

namespace MatrixTester.Web.Tests.Exports;

public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("plain words 1.2.3-rc", "plain words 1.2.3-rc")]
    [InlineData("[x](https://e.example)", "\\[x\\]\\(https\\://e.example\\)")]
    [InlineData("# heading", "\\# heading")]
    [InlineData("a\nb\r\nc\u2028d", "a b  c d")]
    [InlineData("<b>&amp;</b>", "\\<b\\>\\&amp;\\</b\\>")]
    [InlineData("@room |x| `c` *e* _u_ ~s~ !i \\", "\\@room \\|x\\| \\`c\\` \\*e\\* \\_u\\_ \\~s\\~ \\!i \\\\")]
    [InlineData("see www.evil.example", "see www\\.evil.example")]
    [InlineData("right\u202Eleft", "right left")]
    public void Server_text_is_escaped_for_markdown(string text, string expected) =>
        Assert.Equal(expected, MarkdownText.Escape(text));

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis_counting_characters_not_bytes() =>
        Assert.Equal("ééé…", MarkdownText.Escape("éééé", 3));

    [Fact]
    public void A_link_target_keeps_one_link() =>
        Assert.Equal("https://t.example/a%28b%29%20c", MarkdownText.Url("https://t.example/a(b) c"));
}
