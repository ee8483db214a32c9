using System.Buffers;
using System.Text.Json;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Our <c>GET /_matrix/key/v2/server</c> body (spec, server-server API, "Publishing keys"): the long-term key and
/// every active probe key in <c>verify_keys</c>, no old keys, and the whole object signed by every key it lists, so
/// a peer that asked for any one of them can verify it. Canonical JSON (the engine's writer) is what is signed; the
/// body sent is the same JSON with the signatures in the order of the keys given.
/// </summary>
public static class KeyResponse
{
    public static byte[] Build(string serverName, IReadOnlyList<SigningKey> keys, DateTimeOffset validUntil)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var unsigned = Write(serverName, keys, validUntil, signatures: null);
        var signed = CanonicalJson.EncodeForSigning(unsigned).GetBytesOrThrow();
        var signatures = keys.Select(k => (k.KeyId, UnpaddedBase64.Encode(k.Sign(signed)))).ToList();
        // Not re-canonicalised: the signatures stay in the order of <paramref name="keys"/> (newest probe first).
        // @rocket.chat/federation-sdk 0.8.0 checks only the FIRST signature of a key response, with the key it
        // asked for; in canonical order the long-term key's "ed25519:a_…" would come first and such peers could never
        // verify a probe. Peers canonicalise before verifying, so the order changes nothing for anyone else.
        return Write(serverName, keys, validUntil, signatures);
    }

    private static byte[] Write(string serverName, IReadOnlyList<SigningKey> keys, DateTimeOffset validUntil, IReadOnlyList<(string KeyId, string Signature)>? signatures)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Base64 ('+', '/') and server names written as they are, as canonical JSON would (the default encoder escapes '+').
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("server_name", serverName);
            json.WriteNumber("valid_until_ts", validUntil.ToUnixTimeMilliseconds());
            json.WriteStartObject("verify_keys");
            foreach (var key in keys)
            {
                json.WriteStartObject(key.KeyId);
                json.WriteString("key", key.PublicKeyBase64);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("old_verify_keys");
            json.WriteEndObject();
            if (signatures is not null)
            {
                json.WriteStartObject("signatures");
                json.WriteStartObject(serverName);
                foreach (var (keyId, signature) in signatures)
                {
                    json.WriteString(keyId, signature);
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
