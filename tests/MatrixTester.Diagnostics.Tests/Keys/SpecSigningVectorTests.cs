using System.Text;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Diagnostics.Tests.Keys;

/// <summary>Spec appendices, "Cryptographic Test Vectors", and the key response of the reference tester's documented sample A.</summary>
public sealed class SpecSigningVectorTests
{
    private const string SeedBase64 = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1";
    private const string PublicKeyBase64 = "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI";

    private static byte[] Seed => UnpaddedBase64.TryDecode(SeedBase64, out var seed) ? seed : throw new InvalidOperationException();

    [Fact]
    public void Spec_seed_derives_the_documented_public_key() =>
        Assert.Equal(PublicKeyBase64, UnpaddedBase64.Encode(Ed25519.PublicKeyFromSeed(Seed)));

    [Theory]
    [InlineData("{}", "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ")]
    [InlineData("{\"one\": 1, \"two\": \"Two\"}", "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw")]
    [InlineData(
        "{\"valid_until_ts\":1652262000000,\"server_name\":\"domain\",\"verify_keys\":{\"ed25519:1\":{\"key\":\"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI\"}},\"old_verify_keys\":{},\"signatures\":{\"other\":{}},\"unsigned\":{\"a\":1}}",
        "FGoX7oBz36Xr5gZoCR7HSq2FtzDErzcUj0qWuPVA6XtQjT7TFP6ASqj4RJawsHF5EaV2tLUd6bBZ+yn4qYEIDw")]
    [InlineData(
        "{\"\\uffff\":1,\"\\ud83d\\ude00\":2,\"a\":\"日本語\",\"ctl\":\"\\u0001\\n\\\"\\\\\"}",
        "xcJPBTmz4xzW9iTyD/uyig7OghxoED7SpQ7j4L9gFf1tgmrkTPIFftB6jCuWcn6GbXpZ8OpgpSxKc2S+WKpbAg")]
    public void Signing_vector_signs_and_verifies(string json, string expectedSignature)
    {
        var signed = CanonicalJson.EncodeForSigning(Encoding.UTF8.GetBytes(json)).GetBytesOrThrow();

        Assert.Equal(expectedSignature, UnpaddedBase64.Encode(Ed25519.Sign(Seed, signed)));
        Assert.True(UnpaddedBase64.TryDecode(PublicKeyBase64, out var publicKey));
        Assert.True(UnpaddedBase64.TryDecode(expectedSignature, out var signature));
        Assert.True(Ed25519.Verify(publicKey, signed, signature));
    }

    [Fact]
    public void Key_response_vector_has_the_documented_canonical_bytes()
    {
        var json = "{\"verify_keys\":{\"ed25519:1\":{\"key\":\"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI\"}},\"valid_until_ts\":1652262000000,\"signatures\":{},\"server_name\":\"domain\",\"old_verify_keys\":{}}";
        Assert.Equal(
            "{\"old_verify_keys\":{},\"server_name\":\"domain\",\"valid_until_ts\":1652262000000,\"verify_keys\":{\"ed25519:1\":{\"key\":\"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI\"}}}",
            Encoding.UTF8.GetString(CanonicalJson.EncodeForSigning(Encoding.UTF8.GetBytes(json)).GetBytesOrThrow()));
    }
}
