using System.Text.Json;
using System.Text.RegularExpressions;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// verify_keys, signatures and old_verify_keys of a key response (the engine README, "Judging a key response", steps 4-6; spec appendices,
/// "Checking for a Signature"). Mirrors gomatrixserverlib's checkVerifyKeys for the Go report fields.
/// </summary>
internal static partial class VerifyKeyChecker
{
    internal sealed record Outcome(
        IReadOnlyDictionary<string, VerifyKey> VerifyKeys,
        IReadOnlyDictionary<string, OldVerifyKey> OldVerifyKeys,
        IReadOnlyDictionary<string, IReadOnlyList<string>> Signatures,
        IReadOnlyDictionary<string, Ed25519Check> Ed25519Checks);

    // Synapse's BANNED_SERVER_SIGNING_KEYS (keyring.py; ELEMENTSEC-2025-1670), compared after decoding.
    private static readonly byte[] BannedKey = Convert.FromBase64String("l/O9hxMVKB6Lg+3Hqf0FQQZhVESQcMzbPN1Cz2nM3og=");

    [GeneratedRegex("^[^:]+:[a-zA-Z0-9_]+$")]
    private static partial Regex KeyIdPattern();

    public static Outcome Check(JsonElement root, string signer, ReadOnlySpan<byte> signedBytes, string? subject, List<Finding> findings)
    {
        var verifyKeys = new Dictionary<string, VerifyKey>(StringComparer.Ordinal);
        var checks = new Dictionary<string, Ed25519Check>(StringComparer.Ordinal);
        var signatures = ReadSignatures(root);
        root.TryGetProperty("signatures", out var allSignatures);
        var ownSignatures = allSignatures.ValueKind == JsonValueKind.Object && allSignatures.TryGetProperty(signer, out var own)
            && own.ValueKind == JsonValueKind.Object ? own : default;

        if (!root.TryGetProperty("verify_keys", out var keysElement) || keysElement.ValueKind != JsonValueKind.Object)
        {
            findings.Add(KeyFindings.VerifyKeysMissing.Create("The key response has no \"verify_keys\" object.",
                "Without verify keys other servers cannot check anything your server signs.", subject));
            return new(verifyKeys, ReadOldKeys(root, subject, findings), signatures, checks);
        }

        foreach (var property in keysElement.EnumerateObject())
        {
            var keyId = property.Name;
            var algorithm = keyId.Split(':', 2)[0];
            if (!KeyIdPattern().IsMatch(keyId))
            {
                findings.Add(KeyFindings.KeyIdInvalid.Create($"The key ID \"{keyId}\" is not of the form algorithm:version.",
                    "The spec requires key IDs of the form algorithm:version, with a version of letters, digits and '_'.", subject));
            }

            var keyText = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("key", out var k)
                && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            var decoded = UnpaddedBase64.TryDecode(keyText, out var keyBytes, out var keyPadded);
            if (keyPadded)
            {
                findings.Add(KeyFindings.PaddedBase64.Create($"The verify key {keyId} is written with '=' padding.",
                    "gomatrixserverlib (Dendrite, the Go federation tester) fails to decode padded base64.", subject));
            }

            if (algorithm != "ed25519")
            {
                findings.Add(KeyFindings.UnknownAlgorithm.Create($"The verify key {keyId} uses the algorithm \"{algorithm}\".",
                    "Matrix defines only ed25519; other servers ignore this key.", subject));
                verifyKeys[keyId] = new(keyId, algorithm, keyText, decoded, keyBytes?.Length, keyPadded, HasSignature(ownSignatures, keyId), null);
                continue;
            }

            var check = CheckEd25519(keyId, keyText, decoded ? keyBytes : null, ownSignatures, signer, signedBytes, subject, findings);
            checks[keyId] = check;
            verifyKeys[keyId] = new(keyId, algorithm, keyText, decoded, keyBytes?.Length, keyPadded, HasSignature(ownSignatures, keyId), check);
        }

        if (checks.Count == 0)
        {
            findings.Add(KeyFindings.NoEd25519Key.Create("verify_keys lists no ed25519 key.",
                "ed25519 is the only signing algorithm Matrix defines, so other servers cannot verify this server.", subject));
        }
        else if (!checks.Values.Any(c => c.MatchingSignature))
        {
            findings.Add(KeyFindings.NoValidSignature.Create(
                $"None of the {checks.Count} ed25519 verify key(s) has a valid signature from \"{signer}\" on the response.",
                "Synapse rejects a key response that is not signed by one of its own verify keys: \"Key response for "
                + signer + " is not signed by the origin server\".", subject));
        }

        return new(verifyKeys, ReadOldKeys(root, subject, findings), signatures, checks);
    }

    private static Ed25519Check CheckEd25519(string keyId, string? keyText, byte[]? key, JsonElement ownSignatures, string signer,
        ReadOnlySpan<byte> signedBytes, string? subject, List<Finding> findings)
    {
        if (key is not { Length: Ed25519.PublicKeyLength })
        {
            findings.Add(KeyFindings.KeyInvalid.Create(
                key is null ? $"The verify key {keyId} is {(keyText is null ? "missing its \"key\" string" : "not valid base64")}."
                    : $"The verify key {keyId} decodes to {key.Length} bytes, not 32.",
                "An ed25519 public key is exactly 32 bytes, written in unpadded base64.", subject));
            return new(ValidEd25519: false, MatchingSignature: false);
        }

        if (key.AsSpan().SequenceEqual(BannedKey))
        {
            findings.Add(KeyFindings.BannedKey.Create($"The verify key {keyId} is a key Synapse has banned.",
                "Synapse ignores signatures from this key because its private half is known to be compromised.", subject));
        }

        if (ownSignatures.ValueKind != JsonValueKind.Object || !ownSignatures.TryGetProperty(keyId, out var sigElement))
        {
            findings.Add(KeyFindings.SignatureMissing.Create($"There is no signature from {signer} with {keyId}.",
                "Each verify key should sign the response: the Go federation tester fails a key without a matching signature.", subject));
            return new(ValidEd25519: true, MatchingSignature: false);
        }

        var sigText = sigElement.ValueKind == JsonValueKind.String ? sigElement.GetString() : null;
        var sigDecoded = UnpaddedBase64.TryDecode(sigText, out var signature, out var sigPadded);
        if (sigPadded)
        {
            findings.Add(KeyFindings.PaddedBase64.Create($"The signature by {keyId} is written with '=' padding.",
                "gomatrixserverlib (Dendrite, the Go federation tester) fails to decode padded base64.", subject));
        }

        var problem = !sigDecoded ? "is not a base64 string"
            : signature!.Length != Ed25519.SignatureLength ? $"is {signature.Length} bytes, not 64"
            : !Ed25519.Verify(key, signedBytes, signature) ? "does not match the key and the response content"
            : null;
        if (problem is not null)
        {
            findings.Add(KeyFindings.SignatureInvalid.Create($"The signature by {keyId} {problem}.",
                "The signature is made over the canonical JSON of the response without \"signatures\" and \"unsigned\"; "
                + "any change to the content after signing, or a different private key, breaks it.", subject));
        }

        return new(ValidEd25519: true, MatchingSignature: problem is null);
    }

    private static bool HasSignature(JsonElement ownSignatures, string keyId) =>
        ownSignatures.ValueKind == JsonValueKind.Object && ownSignatures.TryGetProperty(keyId, out _);

    private static Dictionary<string, IReadOnlyList<string>> ReadSignatures(JsonElement root)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (root.TryGetProperty("signatures", out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var entity in element.EnumerateObject())
            {
                result[entity.Name] = entity.Value.ValueKind == JsonValueKind.Object
                    ? entity.Value.EnumerateObject().Select(p => p.Name).ToArray()
                    : [];
            }
        }

        return result;
    }

    private static Dictionary<string, OldVerifyKey> ReadOldKeys(JsonElement root, string? subject, List<Finding> findings)
    {
        var result = new Dictionary<string, OldVerifyKey>(StringComparer.Ordinal);
        if (!root.TryGetProperty("old_verify_keys", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            var key = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String
                ? k.GetString() : null;
            long? expired = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("expired_ts", out var e)
                && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var ms) ? ms : null;
            result[property.Name] = new(property.Name, key, expired);
            // Synapse (keyring.py, process_v2_response) parses every old key of a supported algorithm: the key must
            // decode to a 32-byte verify key and expired_ts must be there, or the whole response is discarded.
            if (!property.Name.StartsWith("ed25519:", StringComparison.Ordinal))
            {
                continue;
            }
            var decoded = UnpaddedBase64.TryDecode(key, out var bytes, out var padded);
            var problem = key is null ? "has no \"key\" string"
                : !decoded ? "has a \"key\" that is not base64"
                : bytes!.Length != Ed25519.PublicKeyLength ? $"has a \"key\" of {bytes.Length} bytes, not 32"
                : expired is null ? "has no integer \"expired_ts\""
                : null;
            if (problem is not null)
            {
                findings.Add(KeyFindings.OldVerifyKeyMalformed.Create($"The old verify key {property.Name} {problem}.",
                    "Synapse reads every old_verify_keys entry when it fetches your keys; a malformed one makes it discard the whole response, so it cannot verify anything your server signs.", subject));
            }
            else if (padded)
            {
                findings.Add(KeyFindings.PaddedBase64.Create($"The old verify key {property.Name} is written with '=' padding.",
                    "gomatrixserverlib (Dendrite, the Go federation tester) fails to decode padded base64.", subject));
            }
        }

        if (result.Count > 0)
        {
            findings.Add(KeyFindings.OldVerifyKeys.Create(
                $"The server lists {result.Count} old verify key(s): {string.Join(", ", result.Values.Select(o => o.Expired is { } at ? $"{o.KeyId} (expired {at:u})" : o.KeyId))}.",
                "Old keys are only used to check events signed before they expired; they do not sign this response.", subject));
        }

        return result;
    }
}
