using System.Text;
using System.Text.Json;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.Keys;

public sealed class LabSigningKeyTests
{
    [Fact]
    public void Lab_key_from_the_spec_seed_reproduces_the_key_response_vector()
    {
        // The spec's test vectors: same seed, key ID, server name and valid_until_ts give the documented signature.
        var key = LabSigningKey.FromSeedBase64("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1", "ed25519:1");
        var body = key.KeyResponse("domain", DateTimeOffset.FromUnixTimeMilliseconds(1652262000000));

        using var document = JsonDocument.Parse(body);
        Assert.Equal("XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI", key.PublicKeyBase64);
        Assert.Equal(
            "FGoX7oBz36Xr5gZoCR7HSq2FtzDErzcUj0qWuPVA6XtQjT7TFP6ASqj4RJawsHF5EaV2tLUd6bBZ+yn4qYEIDw",
            document.RootElement.GetProperty("signatures").GetProperty("domain").GetProperty("ed25519:1").GetString());
    }

    [Fact]
    public void Random_keys_differ_and_sign_verifiably()
    {
        var a = LabSigningKey.Create();
        var b = LabSigningKey.Create("ed25519:other");

        Assert.NotEqual(a.PublicKeyBase64, b.PublicKeyBase64);
        Assert.Equal("ed25519:other", b.KeyId);
        Assert.True(Ed25519.Verify(a.PublicKey.Span, "hello"u8, a.Sign("hello"u8)));
        Assert.False(Ed25519.Verify(b.PublicKey.Span, "hello"u8, a.Sign("hello"u8)));
    }

    [Fact]
    public void Duplicate_variant_really_repeats_server_name()
    {
        var body = LabSigningKey.Create().KeyResponse("example.org", DateTimeOffset.UnixEpoch.AddYears(60),
            new KeyResponseOptions { DuplicateServerName = true });

        Assert.Equal(2, body.Split("\"server_name\"").Length - 1);
        Assert.Equal(CanonicalJsonError.DuplicateKey, CanonicalJson.Encode(Encoding.UTF8.GetBytes(body)).Error);
    }

    [Fact]
    public void Old_verify_keys_are_written_with_expiry_in_milliseconds()
    {
        var old = LabSigningKey.Create("ed25519:old");
        var expired = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var body = LabSigningKey.Create().KeyResponse("example.org", expired.AddYears(2), new KeyResponseOptions
        {
            OldVerifyKeys = new Dictionary<string, OldKey> { [old.KeyId] = old.AsOldKey(expired) },
        });

        using var document = JsonDocument.Parse(body);
        var entry = document.RootElement.GetProperty("old_verify_keys").GetProperty("ed25519:old");
        Assert.Equal(old.PublicKeyBase64, entry.GetProperty("key").GetString());
        Assert.Equal(1735689600000, entry.GetProperty("expired_ts").GetInt64());
    }
}
