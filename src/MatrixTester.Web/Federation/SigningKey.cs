using System.Security.Cryptography;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Web.Federation;

/// <summary>
/// An Ed25519 key of ours: the long-term key or a probe key. A class, not a record, so no generated ToString or
/// equality ever prints the seed: the private half is used to sign and nothing else (never served, logged or stored
/// in a report).
/// </summary>
public sealed class SigningKey
{
    private readonly byte[] _seed;

    public SigningKey(string keyId, ReadOnlySpan<byte> seed)
    {
        KeyId = keyId;
        _seed = seed.ToArray();
        PublicKey = Ed25519.PublicKeyFromSeed(_seed);
    }

    /// <summary>"ed25519:" and the version.</summary>
    public string KeyId { get; }

    public byte[] PublicKey { get; }

    public string PublicKeyBase64 => UnpaddedBase64.Encode(PublicKey);

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(_seed, message);

    /// <summary>For the probe store only: other instances need the seed to sign the key response.</summary>
    internal byte[] ExportSeed() => (byte[])_seed.Clone();

    public override string ToString() => KeyId;

    /// <summary>A fresh key <c>ed25519:&lt;prefix&gt;&lt;random letters and digits&gt;</c>.</summary>
    public static SigningKey Generate(string versionPrefix, int randomLength) =>
        new("ed25519:" + versionPrefix + RandomNumberGenerator.GetString(Alphanumeric, randomLength), RandomNumberGenerator.GetBytes(Ed25519.SeedLength));

    internal const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Key versions: the spec's key id grammar ([a-zA-Z0-9_]); Synapse writes "a_" and four characters.</summary>
    internal static bool IsValidVersion(string version) =>
        version.Length is > 0 and <= 64 && version.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
