using System.Text;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Diagnostics.Tests.Keys;

public sealed class CanonicalJsonTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.Encode(json).GetBytesOrThrow());

    // Spec appendices, "Canonical JSON" examples, except 1e10, which we reject (see CanonicalJson).
    [Theory]
    [InlineData("{}", "{}")]
    [InlineData("{\"one\": 1, \"two\": \"Two\"}", "{\"one\":1,\"two\":\"Two\"}")]
    [InlineData("{\"b\": \"2\", \"a\": \"1\"}", "{\"a\":\"1\",\"b\":\"2\"}")]
    [InlineData("{\"b\":\"2\",\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}")]
    [InlineData(
        "{\n \"auth\": {\n  \"success\": true,\n  \"mxid\": \"@john.doe:example.com\",\n  \"profile\": {\n   \"display_name\": \"John Doe\",\n   \"three_pids\": [\n    {\"medium\": \"email\", \"address\": \"john.doe@example.org\"},\n    {\"medium\": \"msisdn\", \"address\": \"123456789\"}\n   ]\n  }\n }\n}",
        "{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\",\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},\"success\":true}}")]
    [InlineData("{\"a\": \"日本語\"}", "{\"a\":\"日本語\"}")]
    [InlineData("{\"本\": 2, \"日\": 1}", "{\"日\":1,\"本\":2}")]
    [InlineData("{\"a\": \"\\u65E5\"}", "{\"a\":\"日\"}")]
    [InlineData("{\"a\": null}", "{\"a\":null}")]
    [InlineData("{\"a\": -0}", "{\"a\":0}")]
    // Our own edge cases (the engine README, "Canonical JSON").
    [InlineData("[3, 1, 2]", "[3,1,2]")]
    [InlineData("{\"a\":\"\\/\"}", "{\"a\":\"/\"}")]
    [InlineData("{\"a\":\"\\u007f\\u2028\\u2029\"}", "{\"a\":\"\u007f\u2028\u2029\"}")]
    [InlineData("{\"a\":\"\\b\\f\\t\\r\\u001F\\u000B\"}", "{\"a\":\"\\b\\f\\t\\r\\u001f\\u000b\"}")]
    [InlineData("{\"a\":[9007199254740991,-9007199254740991,true,false]}", "{\"a\":[9007199254740991,-9007199254740991,true,false]}")]
    [InlineData("{\"b\":{\"d\":1,\"c\":2},\"a\":[{\"z\":0,\"y\":0}]}", "{\"a\":[{\"y\":0,\"z\":0}],\"b\":{\"c\":2,\"d\":1}}")]
    public void Produces_the_canonical_form(string input, string expected) => Assert.Equal(expected, Canonical(input));

    [Fact]
    public void Extra_vector_sorts_by_code_point_and_escapes_exactly()
    {
        // Our extra vector: U+FFFF sorts before U+1F600 (UTF-16 ordinal order would reverse them).
        const string expectedHex = "7b2261223a22e697a5e69cace8aa9e222c2263746c223a225c75303030315c6e5c225c5c222c22efbfbf223a312c22f09f9880223a327d";
        var escapedInput = "{\"\\uffff\":1,\"\\ud83d\\ude00\":2,\"a\":\"日本語\",\"ctl\":\"\\u0001\\n\\\"\\\\\"}";
        var rawInput = "{\"\U0001F600\":2,\"\uffff\":1,\"ctl\":\"\\u0001\\n\\\"\\\\\",\"a\":\"日本語\"}";

        foreach (var input in new[] { escapedInput, rawInput })
        {
            var bytes = CanonicalJson.Encode(input).GetBytesOrThrow();
            Assert.Equal(55, bytes.Length);
            Assert.Equal(expectedHex, Convert.ToHexStringLower(bytes));
        }
    }

    [Fact]
    public void Removes_only_the_named_top_level_keys()
    {
        var result = CanonicalJson.EncodeForSigning(
            "{\"unsigned\":{\"x\":1},\"b\":{\"signatures\":2},\"signatures\":{\"s\":{}},\"a\":1}"u8);
        Assert.Equal("{\"a\":1,\"b\":{\"signatures\":2}}", Encoding.UTF8.GetString(result.GetBytesOrThrow()));
    }

    public static TheoryData<string, byte[], CanonicalJsonError> Rejects => new()
    {
        { "float", "{\"a\":1.0}"u8.ToArray(), CanonicalJsonError.NonIntegerNumber },
        { "fraction", "{\"a\":0.5}"u8.ToArray(), CanonicalJsonError.NonIntegerNumber },
        { "huge exponent", "{\"a\":1e400}"u8.ToArray(), CanonicalJsonError.NonIntegerNumber },
        { "exponent", "{\"a\":1E10}"u8.ToArray(), CanonicalJsonError.NonIntegerNumber },
        { "2^53", "{\"a\":9007199254740992}"u8.ToArray(), CanonicalJsonError.IntegerOutOfRange },
        { "-2^53", "{\"a\":-9007199254740992}"u8.ToArray(), CanonicalJsonError.IntegerOutOfRange },
        { "beyond int64", "[123456789012345678901234567890]"u8.ToArray(), CanonicalJsonError.IntegerOutOfRange },
        { "duplicate key", "{\"a\":1,\"b\":2,\"a\":1}"u8.ToArray(), CanonicalJsonError.DuplicateKey },
        { "duplicate key via escape", "{\"a\":1,\"\\u0061\":2}"u8.ToArray(), CanonicalJsonError.DuplicateKey },
        { "nested duplicate", "{\"x\":[{\"k\":1,\"k\":2}]}"u8.ToArray(), CanonicalJsonError.DuplicateKey },
        { "invalid UTF-8", [.. "{\"a\":\""u8, 0xff, .. "\"}"u8], CanonicalJsonError.InvalidUtf8 },
        { "overlong UTF-8", [.. "{\"a\":\""u8, 0xc0, 0xaf, .. "\"}"u8], CanonicalJsonError.InvalidUtf8 },
        { "UTF-8 encoded surrogate", [.. "{\"a\":\""u8, 0xed, 0xa0, 0x80, .. "\"}"u8], CanonicalJsonError.InvalidUtf8 },
        { "lone surrogate escape", "{\"a\":\"\\ud800\"}"u8.ToArray(), CanonicalJsonError.InvalidString },
        { "lone low surrogate key", "{\"\\udc00\":1}"u8.ToArray(), CanonicalJsonError.InvalidString },
        { "trailing comma", "{\"a\":1,}"u8.ToArray(), CanonicalJsonError.Malformed },
        { "comment", "{\"a\":1/*x*/}"u8.ToArray(), CanonicalJsonError.Malformed },
        { "NaN", "{\"a\":NaN}"u8.ToArray(), CanonicalJsonError.Malformed },
        { "leading zero", "{\"a\":01}"u8.ToArray(), CanonicalJsonError.Malformed },
        { "two values", "{}{}"u8.ToArray(), CanonicalJsonError.Malformed },
        { "empty", ""u8.ToArray(), CanonicalJsonError.Malformed },
        { "truncated", "{\"a\":"u8.ToArray(), CanonicalJsonError.Malformed },
        { "65 levels", Encoding.ASCII.GetBytes(new string('[', 65) + new string(']', 65)), CanonicalJsonError.TooDeep },
        { "array at top level", "[1]"u8.ToArray(), CanonicalJsonError.NotAnObject },
    };

    [Theory]
    [MemberData(nameof(Rejects))]
    public void Rejects_with_a_precise_reason(string label, byte[] input, CanonicalJsonError expected)
    {
        var result = CanonicalJson.EncodeForSigning(input);
        Assert.False(result.IsSuccess, label);
        Assert.Equal(expected, result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.True(result.Bytes.IsEmpty);
    }

    [Fact]
    public void Sixty_four_levels_are_allowed()
    {
        var json = new string('[', 64) + new string(']', 64);
        Assert.Equal(json, Canonical(json));
    }

    [Fact]
    public void Depth_bomb_of_100000_arrays_fails_at_the_cap()
    {
        var bomb = Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000));
        var result = CanonicalJson.Encode(bomb);
        Assert.Equal(CanonicalJsonError.TooDeep, result.Error);
        Assert.Contains("64", result.Reason);
    }

    [Fact]
    public void Input_over_the_size_cap_is_rejected_before_parsing()
    {
        var result = CanonicalJson.Encode("{\"a\":\"0123456789\"}"u8, maxBytes: 10);
        Assert.Equal(CanonicalJsonError.TooLarge, result.Error);
    }
}
