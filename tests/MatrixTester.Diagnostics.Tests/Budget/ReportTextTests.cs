using System.Text;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tests.Budget;

public sealed class ReportTextTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("héllo", 6)]
    public void Text_within_the_cap_is_returned_as_it_is(string text, int max) => Assert.Same(text, ReportText.Cap(text, max));

    [Fact]
    public void Longer_text_is_cut_at_the_cap_and_says_how_many_bytes_were_left_out() =>
        Assert.Equal("<<<… (7 bytes more)", ReportText.Cap(new string('<', 10), 3));

    [Theory]
    // "é" is 2 bytes, "€" 3, "😀" a surrogate pair of 4: a cut never splits a character, and the count is of bytes.
    [InlineData("aé", 2, "a… (2 bytes more)")]
    [InlineData("a€b", 3, "a… (4 bytes more)")]
    [InlineData("a€b", 4, "a€… (1 byte more)")]
    [InlineData("😀😀", 5, "😀… (4 bytes more)")]
    [InlineData("😀😀", 3, "… (8 bytes more)")]
    public void Cuts_fall_between_characters_and_count_utf8_bytes(string text, int max, string expected) =>
        Assert.Equal(expected, ReportText.Cap(text, max));

    [Fact]
    public void The_kept_part_never_exceeds_the_cap_in_utf8()
    {
        var text = string.Concat(Enumerable.Repeat("a€😀é", 500));
        for (var max = 0; max < 60; max++)
        {
            var capped = ReportText.Cap(text, max);
            var kept = capped[..capped.LastIndexOf("… (", StringComparison.Ordinal)];
            Assert.True(Encoding.UTF8.GetByteCount(kept) <= max, $"{max}: {kept}");
            Assert.Equal(Encoding.UTF8.GetByteCount(text), Encoding.UTF8.GetByteCount(kept) + int.Parse(capped[(capped.LastIndexOf('(') + 1)..capped.IndexOf(' ', capped.LastIndexOf('('))], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void A_body_is_decoded_only_up_to_the_cap_and_never_inside_a_character()
    {
        var body = Encoding.UTF8.GetBytes("ab€€€");
        Assert.Equal("ab€€€", ReportText.Cap(body, 11));
        Assert.Equal("ab€… (6 bytes more)", ReportText.Cap(body, 7));
        Assert.Equal("ab… (9 bytes more)", ReportText.Cap(body, 4));
    }

    [Fact]
    public void Null_passes_through() => Assert.Null(ReportText.CapOrNull(null, 10));
}
