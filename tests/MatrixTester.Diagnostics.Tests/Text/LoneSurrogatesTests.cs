using System.Text;
using System.Text.Json;

namespace MatrixTester.Diagnostics.Tests.Text;

public sealed class LoneSurrogatesTests
{
    public static TheoryData<string, string, int> Cases() => new()
    {
        { """{"a":"\ud800"}""", """{"a":"\ufffd"}""", 1 },
        { """{"a":"\uDFFF"}""", """{"a":"\ufffd"}""", 1 },
        { """{"a":"x\ud800y\udc00"}""", """{"a":"x\ufffdy\ufffd"}""", 2 },
        // A pair stays a pair; a high half before a pair is lone; a low half before a high one is lone too.
        { """{"a":"\ud83d\ude00"}""", """{"a":"\ud83d\ude00"}""", 0 },
        { """{"a":"\ud800\ud83d\ude00"}""", """{"a":"\ufffd\ud83d\ude00"}""", 1 },
        { """{"a":"\udc00\ud800"}""", """{"a":"\ufffd\ufffd"}""", 2 },
        // An escaped backslash followed by the letters "ud800" is text, not an escape.
        { """{"a":"\\ud800"}""", """{"a":"\\ud800"}""", 0 },
        { """{"a":"\\\ud800"}""", """{"a":"\\\ufffd"}""", 1 },
        // In a member name as well; and at the very end of the input.
        { """{"\ud800":1}""", """{"\ufffd":1}""", 1 },
        { """\ud800""", """\ufffd""", 1 },
        { """{"a":"\u00e9\"\n"}""", """{"a":"\u00e9\"\n"}""", 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_lone_half_becomes_the_replacement_character_escape_of_the_same_length(string json, string expected, int replaced)
    {
        var (result, count) = LoneSurrogates.Replace(Encoding.UTF8.GetBytes(json));

        Assert.Equal(expected, Encoding.UTF8.GetString(result));
        Assert.Equal(replaced, count);
        Assert.Equal(json.Length, result.Length);
    }

    /// <summary>
    /// Text that reaches a report by another way than JSON (a certificate's BMPString names can hold a lone half) is
    /// still written: the report's JSON writer puts U+FFFD in its place rather than failing the whole report.
    /// </summary>
    [Fact]
    public void A_lone_half_in_a_report_string_is_written_as_the_replacement_character()
    {
        var json = JsonSerializer.Serialize(new MatrixTester.Diagnostics.Federation.VersionReport("Syn\ud800apse", "1.0", null), MatrixTester.Diagnostics.Reports.ReportJson.Options);

        using var document = JsonDocument.Parse(json);
        Assert.Equal("Syn\uFFFDapse", document.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void The_rewritten_document_reads_without_throwing()
    {
        var (json, _) = LoneSurrogates.Replace("""{"\udc00":"a\ud800b"}"""u8);
        using var document = JsonDocument.Parse(json);

        var member = Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal("\uFFFD", member.Name);
        Assert.Equal("a\uFFFDb", member.Value.GetString());
    }
}
