using System.Runtime.InteropServices;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Ed25519 (RFC 8032, pure mode) through OpenSSL's libcrypto.so.3, which .NET already loads for TLS on Linux.
/// .NET 10 has no Ed25519 API, so this is the one place that calls native code (ENGINEERING.md, key decisions).
/// Every native handle is freed in a finally block; wrong input lengths never reach OpenSSL.
/// </summary>
public static unsafe partial class Ed25519
{
    public const int PublicKeyLength = 32;
    public const int SeedLength = 32;
    public const int SignatureLength = 64;

    private const string LibCrypto = "libcrypto.so.3";
    private const int EvpPkeyEd25519 = 1087; // NID_ED25519

    /// <summary>True when <paramref name="signature64"/> is a valid signature of <paramref name="message"/>.
    /// Wrong key or signature lengths return false.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64)
    {
        if (publicKey32.Length != PublicKeyLength || signature64.Length != SignatureLength)
        {
            return false;
        }

        nint pkey = 0, ctx = 0;
        try
        {
            fixed (byte* key = publicKey32)
            {
                pkey = EVP_PKEY_new_raw_public_key(EvpPkeyEd25519, 0, key, PublicKeyLength);
            }

            if (pkey == 0 || (ctx = EVP_MD_CTX_new()) == 0 || EVP_DigestVerifyInit(ctx, 0, 0, 0, pkey) != 1)
            {
                return false;
            }

            // An empty span may have a null reference; OpenSSL gets a valid pointer with length 0 instead.
            byte dummy = 0;
            fixed (byte* sig = signature64)
            fixed (byte* msg = message)
            {
                return EVP_DigestVerify(ctx, sig, SignatureLength, msg == null ? &dummy : msg, (nuint)message.Length) == 1;
            }
        }
        finally
        {
            Free(pkey, ctx);
        }
    }

    /// <summary>Signs <paramref name="message"/> with the key derived from a 32-byte seed (the RFC 8032 private key).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> seed32, ReadOnlySpan<byte> message)
    {
        CheckSeed(seed32);
        nint pkey = 0, ctx = 0;
        try
        {
            pkey = NewPrivateKey(seed32);
            ctx = EVP_MD_CTX_new();
            if (ctx == 0 || EVP_DigestSignInit(ctx, 0, 0, 0, pkey) != 1)
            {
                throw new InvalidOperationException("OpenSSL could not initialise an Ed25519 signing context.");
            }

            var signature = new byte[SignatureLength];
            nuint length = SignatureLength;
            byte dummy = 0;
            fixed (byte* sig = signature)
            fixed (byte* msg = message)
            {
                if (EVP_DigestSign(ctx, sig, &length, msg == null ? &dummy : msg, (nuint)message.Length) != 1 || length != SignatureLength)
                {
                    throw new InvalidOperationException("OpenSSL failed to produce an Ed25519 signature.");
                }
            }

            return signature;
        }
        finally
        {
            Free(pkey, ctx);
        }
    }

    /// <summary>The 32-byte public key for a 32-byte seed.</summary>
    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed32)
    {
        CheckSeed(seed32);
        nint pkey = 0;
        try
        {
            pkey = NewPrivateKey(seed32);
            var publicKey = new byte[PublicKeyLength];
            nuint length = PublicKeyLength;
            fixed (byte* pub = publicKey)
            {
                if (EVP_PKEY_get_raw_public_key(pkey, pub, &length) != 1 || length != PublicKeyLength)
                {
                    throw new InvalidOperationException("OpenSSL failed to derive the Ed25519 public key.");
                }
            }

            return publicKey;
        }
        finally
        {
            Free(pkey, 0);
        }
    }

    private static void CheckSeed(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != SeedLength)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedLength} bytes, not {seed32.Length}.", nameof(seed32));
        }
    }

    private static nint NewPrivateKey(ReadOnlySpan<byte> seed32)
    {
        fixed (byte* seed = seed32)
        {
            var pkey = EVP_PKEY_new_raw_private_key(EvpPkeyEd25519, 0, seed, SeedLength);
            return pkey != 0 ? pkey : throw new InvalidOperationException("OpenSSL rejected the Ed25519 seed.");
        }
    }

    private static void Free(nint pkey, nint ctx)
    {
        if (ctx != 0)
        {
            EVP_MD_CTX_free(ctx);
        }

        if (pkey != 0)
        {
            EVP_PKEY_free(pkey);
        }

        // Failed calls leave entries on OpenSSL's per-thread error queue; .NET's own crypto shares that queue.
        ERR_clear_error();
    }

    [LibraryImport(LibCrypto)]
    private static partial nint EVP_PKEY_new_raw_public_key(int type, nint engine, byte* key, nuint keyLength);

    [LibraryImport(LibCrypto)]
    private static partial nint EVP_PKEY_new_raw_private_key(int type, nint engine, byte* key, nuint keyLength);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_PKEY_get_raw_public_key(nint pkey, byte* publicKey, nuint* length);

    [LibraryImport(LibCrypto)]
    private static partial void EVP_PKEY_free(nint pkey);

    [LibraryImport(LibCrypto)]
    private static partial nint EVP_MD_CTX_new();

    [LibraryImport(LibCrypto)]
    private static partial void EVP_MD_CTX_free(nint ctx);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestVerifyInit(nint ctx, nint pctx, nint md, nint engine, nint pkey);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestVerify(nint ctx, byte* signature, nuint signatureLength, byte* message, nuint messageLength);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestSignInit(nint ctx, nint pctx, nint md, nint engine, nint pkey);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestSign(nint ctx, byte* signature, nuint* signatureLength, byte* message, nuint messageLength);

    [LibraryImport(LibCrypto)]
    private static partial void ERR_clear_error();
}
