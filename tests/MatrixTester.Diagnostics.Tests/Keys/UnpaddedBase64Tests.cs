using System.Text;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Diagnostics.Tests.Keys;

public sealed class UnpaddedBase64Tests
{
    // Spec appendices, "Unpadded Base64" examples.
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "Zg")]
    [InlineData("fo", "Zm8")]
    [InlineData("foo", "Zm9v")]
    [InlineData("foob", "Zm9vYg")]
    [InlineData("fooba", "Zm9vYmE")]
    [InlineData("foobar", "Zm9vYmFy")]
    public void Spec_examples_round_trip(string plain, string encoded)
    {
        Assert.Equal(encoded, UnpaddedBase64.Encode(Encoding.ASCII.GetBytes(plain)));
        Assert.True(UnpaddedBase64.TryDecode(encoded, out var bytes, out var padded));
        Assert.Equal(plain, Encoding.ASCII.GetString(bytes));
        Assert.False(padded);
    }

    [Theory]
    [InlineData("Zg==", "f")]
    [InlineData("Zm8=", "fo")]
    public void Padded_input_decodes_and_is_reported(string encoded, string plain)
    {
        Assert.True(UnpaddedBase64.TryDecode(encoded, out var bytes, out var padded));
        Assert.Equal(plain, Encoding.ASCII.GetString(bytes));
        Assert.True(padded);
    }

    [Fact]
    public void Url_safe_alphabet_is_used_when_dash_or_underscore_appears()
    {
        Assert.True(UnpaddedBase64.TryDecode("-_8", out var bytes));
        Assert.Equal(new byte[] { 0xfb, 0xff }, bytes);
        Assert.True(UnpaddedBase64.TryDecode("+/8", out var standard));
        Assert.Equal(bytes, standard);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Z")]          // impossible length
    [InlineData("Zg=")]        // wrong amount of padding
    [InlineData("Zg===")]
    [InlineData("Z=g")]        // padding in the middle
    [InlineData("Zm 9v")]      // whitespace
    [InlineData("Zm9v\n")]
    [InlineData("+_8")]        // mixed alphabets
    [InlineData("Zm9*")]
    [InlineData("日本")]
    public void Garbage_is_rejected(string? encoded) => Assert.False(UnpaddedBase64.TryDecode(encoded, out _));
}
