using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Diagnostics.Tests.Keys;

public sealed class Ed25519Tests
{
    // RFC 8032 §7.1, TEST 1–3: (secret key = seed, public key, message, signature), all hex.
    public static TheoryData<string, string, string, string> Rfc8032Vectors => new()
    {
        {
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Rfc8032_vector_derives_signs_and_verifies(string seedHex, string publicHex, string messageHex, string signatureHex)
    {
        var seed = Convert.FromHexString(seedHex);
        var message = Convert.FromHexString(messageHex);
        var signature = Convert.FromHexString(signatureHex);

        Assert.Equal(publicHex, Convert.ToHexStringLower(Ed25519.PublicKeyFromSeed(seed)));
        Assert.Equal(signatureHex, Convert.ToHexStringLower(Ed25519.Sign(seed, message)));
        Assert.True(Ed25519.Verify(Convert.FromHexString(publicHex), message, signature));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Rfc8032_vector_fails_when_message_or_signature_changes(string seedHex, string publicHex, string messageHex, string signatureHex)
    {
        _ = seedHex;
        var publicKey = Convert.FromHexString(publicHex);
        var message = Convert.FromHexString(messageHex);
        var signature = Convert.FromHexString(signatureHex);

        Assert.False(Ed25519.Verify(publicKey, [.. message, 0x00], signature));
        signature[5] ^= 0x01;
        Assert.False(Ed25519.Verify(publicKey, message, signature));
    }

    [Theory]
    [InlineData(31, 64)]
    [InlineData(33, 64)]
    [InlineData(0, 64)]
    [InlineData(32, 63)]
    [InlineData(32, 65)]
    [InlineData(32, 0)]
    public void Verify_with_wrong_lengths_returns_false(int keyLength, int signatureLength) =>
        Assert.False(Ed25519.Verify(new byte[keyLength], "m"u8, new byte[signatureLength]));

    [Fact]
    public void Verify_with_a_key_that_is_not_a_curve_point_returns_false()
    {
        // y = 2 is not on the curve; libsodium refuses the key — never a crash.
        var notAPoint = new byte[32];
        notAPoint[0] = 2;
        Assert.False(Ed25519.Verify(notAPoint, "m"u8, new byte[64]));
    }

    [Fact]
    public void The_small_order_forgery_is_rejected_for_any_message()
    {
        // Public key = the identity point (y = 1), R = the identity point, S = 0: [S]B = R + [k]A holds for every
        // message, so a verifier without libsodium's small-order checks accepts it. Peers (PyNaCl) refuse it.
        var identity = new byte[32];
        identity[0] = 1;
        var signature = new byte[64];
        signature[0] = 1;
        Assert.False(Ed25519.Verify(identity, "{}"u8, signature));
        Assert.False(Ed25519.Verify(identity, "{\"server_name\":\"example.org\"}"u8, signature));
    }

    [Fact]
    public void A_signature_with_a_non_canonical_S_is_rejected()
    {
        // RFC 8032 TEST 1 with L added to S: the same point equation holds, but S >= L is not a canonical scalar.
        var (_, publicHex, _, signatureHex) = ("", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        var signature = Convert.FromHexString(signatureHex);
        var l = Convert.FromHexString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        var carry = 0;
        for (var i = 0; i < 32; i++)
        {
            var sum = signature[32 + i] + l[i] + carry;
            signature[32 + i] = (byte)sum;
            carry = sum >> 8;
        }
        Assert.Equal(0, carry);
        Assert.False(Ed25519.Verify(Convert.FromHexString(publicHex), [], signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(64)]
    public void Sign_and_derive_reject_seeds_that_are_not_32_bytes(int length)
    {
        Assert.Throws<ArgumentException>(() => Ed25519.Sign(new byte[length], "m"u8));
        Assert.Throws<ArgumentException>(() => Ed25519.PublicKeyFromSeed(new byte[length]));
    }
}
