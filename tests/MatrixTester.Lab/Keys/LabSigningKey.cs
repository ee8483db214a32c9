using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Lab.Keys;

/// <summary>
/// An Ed25519 signing key for lab homeservers: serves correctly signed <c>/_matrix/key/v2/server</c> bodies and
/// the broken variants real servers get wrong (see <see cref="KeyResponseOptions"/>). Signing follows the spec
/// appendices, "Signing JSON": canonical JSON without "signatures" and "unsigned".
/// </summary>
public sealed class LabSigningKey
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly byte[] seed;

    public LabSigningKey(ReadOnlySpan<byte> seed32, string keyId = "ed25519:lab1")
    {
        seed = seed32.ToArray();
        PublicKey = Ed25519.PublicKeyFromSeed(seed);
        KeyId = keyId;
    }

    /// <summary>A key with a random seed.</summary>
    public static LabSigningKey Create(string keyId = "ed25519:lab1") => new(RandomNumberGenerator.GetBytes(32), keyId);

    public static LabSigningKey FromSeedBase64(string seedBase64, string keyId = "ed25519:lab1") =>
        UnpaddedBase64.TryDecode(seedBase64, out var bytes)
            ? new LabSigningKey(bytes, keyId)
            : throw new ArgumentException("The seed is not base64.", nameof(seedBase64));

    public string KeyId { get; }

    public ReadOnlyMemory<byte> PublicKey { get; }

    public string PublicKeyBase64 => UnpaddedBase64.Encode(PublicKey.Span);

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(seed, message);

    /// <summary>Adds this key's signature under <c>signatures[signingName][KeyId]</c>, keeping existing signatures.</summary>
    public string SignJson(string json, string signingName, bool padded = false, bool tamper = false)
    {
        var signed = CanonicalJson.EncodeForSigning(Encoding.UTF8.GetBytes(json)).GetBytesOrThrow();
        var signature = Sign(signed);
        if (tamper)
        {
            signature[0] ^= 0x01;
        }

        var node = JsonNode.Parse(json)!.AsObject();
        var signatures = node["signatures"] as JsonObject ?? new JsonObject();
        node["signatures"] = signatures;
        var mine = signatures[signingName] as JsonObject ?? new JsonObject();
        signatures[signingName] = mine;
        mine[KeyId] = padded ? Convert.ToBase64String(signature) : UnpaddedBase64.Encode(signature);
        return node.ToJsonString(Relaxed);
    }

    /// <summary>A <c>/_matrix/key/v2/server</c> body for <paramref name="serverName"/>, signed by this key (and by
    /// <see cref="KeyResponseOptions.AdditionalSigners"/>), with the variations asked for.</summary>
    public string KeyResponse(string serverName, DateTimeOffset validUntil, KeyResponseOptions? options = null)
    {
        options ??= new KeyResponseOptions();
        var verifyKeys = new JsonObject { [KeyId] = KeyObject(PublicKey.Span, options.PadBase64) };
        foreach (var signer in options.AdditionalSigners)
        {
            verifyKeys[signer.KeyId] = KeyObject(signer.PublicKey.Span, options.PadBase64);
        }

        if (options.ExtraUnsignedKeyId is { } extraId)
        {
            verifyKeys[extraId] = KeyObject(Create(extraId).PublicKey.Span, options.PadBase64);
        }

        var oldKeys = new JsonObject();
        foreach (var (id, old) in options.OldVerifyKeys)
        {
            oldKeys[id] = new JsonObject { ["expired_ts"] = old.Expired.ToUnixTimeMilliseconds(), ["key"] = old.KeyBase64 };
        }

        var body = new JsonObject
        {
            ["server_name"] = serverName,
            ["valid_until_ts"] = validUntil.ToUnixTimeMilliseconds(),
            ["verify_keys"] = verifyKeys,
            ["old_verify_keys"] = oldKeys,
        };
        if (options.IncludeUnsigned)
        {
            body["unsigned"] = new JsonObject { ["note"] = "not covered by the signature" };
        }

        var signAs = options.SignAs ?? serverName;
        var json = SignJson(body.ToJsonString(Relaxed), signAs, options.PadBase64, options.TamperSignature);
        foreach (var signer in options.AdditionalSigners)
        {
            json = signer.SignJson(json, signAs, options.PadBase64);
        }

        // A duplicate member after signing: parsers disagree on which value counts, so checkers must refuse it.
        return options.DuplicateServerName
            ? "{\"server_name\":" + JsonSerializer.Serialize(serverName, Relaxed) + "," + json[1..]
            : json;
    }

    /// <summary>This key as an <c>old_verify_keys</c> entry that expired at <paramref name="expired"/>.</summary>
    public OldKey AsOldKey(DateTimeOffset expired) => new(PublicKeyBase64, expired);

    private static JsonObject KeyObject(ReadOnlySpan<byte> publicKey, bool padded) =>
        new() { ["key"] = padded ? Convert.ToBase64String(publicKey) : UnpaddedBase64.Encode(publicKey) };
}

/// <summary>An <c>old_verify_keys</c> entry for <see cref="LabSigningKey.KeyResponse"/>.</summary>
public sealed record OldKey(string KeyBase64, DateTimeOffset Expired);

/// <summary>Ways a lab key response can differ from a correct one. The default is correct.</summary>
public sealed record KeyResponseOptions
{
    /// <summary>Flip a bit of the signature after signing.</summary>
    public bool TamperSignature { get; init; }

    /// <summary>Write keys and signatures in padded base64 (signed correctly; Go servers reject it).</summary>
    public bool PadBase64 { get; init; }

    /// <summary>List another ed25519 verify key with this ID that does not sign the response.</summary>
    public string? ExtraUnsignedKeyId { get; init; }

    /// <summary>Repeat "server_name" in the JSON text after signing.</summary>
    public bool DuplicateServerName { get; init; }

    /// <summary>Add an "unsigned" member (not covered by the signature; must not break verification).</summary>
    public bool IncludeUnsigned { get; init; }

    /// <summary>File the signature under this entity instead of the server name.</summary>
    public string? SignAs { get; init; }

    public IReadOnlyDictionary<string, OldKey> OldVerifyKeys { get; init; } = new Dictionary<string, OldKey>();

    /// <summary>Further keys that are listed in verify_keys and sign too.</summary>
    public IReadOnlyList<LabSigningKey> AdditionalSigners { get; init; } = [];
}
