using NSec.Cryptography;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Ed25519 (RFC 8032, pure mode) through NSec.Cryptography, i.e. libsodium: the primitive Synapse uses (PyNaCl).
/// libsodium rejects small-order and non-canonical public keys and signatures, as peers do, so a key response a
/// real homeserver refuses is refused here too (a naive verifier accepts the identity-point forgery for any message).
/// </summary>
public static class Ed25519
{
    public const int PublicKeyLength = 32;
    public const int SeedLength = 32;
    public const int SignatureLength = 64;

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    /// <summary>True when <paramref name="signature64"/> is a valid signature of <paramref name="message"/>.
    /// Wrong lengths, keys that are not valid curve points and small-order keys return false.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64)
    {
        if (publicKey32.Length != PublicKeyLength || signature64.Length != SignatureLength)
        {
            return false;
        }
        return PublicKey.TryImport(Algorithm, publicKey32, KeyBlobFormat.RawPublicKey, out var key) &&
            Algorithm.Verify(key!, message, signature64);
    }

    /// <summary>Signs <paramref name="message"/> with the key derived from a 32-byte seed (the RFC 8032 private key).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> seed32, ReadOnlySpan<byte> message)
    {
        using var key = Import(seed32);
        return Algorithm.Sign(key, message);
    }

    /// <summary>The 32-byte public key for a 32-byte seed.</summary>
    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed32)
    {
        using var key = Import(seed32);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    private static Key Import(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != SeedLength)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedLength} bytes, not {seed32.Length}.", nameof(seed32));
        }
        return Key.Import(Algorithm, seed32, KeyBlobFormat.RawPrivateKey);
    }
}
