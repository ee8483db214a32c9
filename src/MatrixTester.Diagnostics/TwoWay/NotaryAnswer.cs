using System.Text;
using System.Text.Json;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>
/// Reads a notary answer (spec, server-server API, "Querying Keys Through Another Server"): <c>server_keys</c> is a
/// list of key responses, each signed by the server it describes and additionally by the notary. For the probe the
/// answer must hold our probe key, signed by us (the response as our key endpoint served it) and by the target,
/// verified with the keys the diagnosis fetched from the target.
/// </summary>
internal static class NotaryAnswer
{
    public sealed record Verdict(bool HasProbeKey, bool SignedByUs, bool SignedByTarget, string Detail);

    /// <param name="targetKeys">The target's verify keys that verified in this diagnosis: key id → 32-byte key.</param>
    public static Verdict Read(byte[] body, string us, IProbeKey probe, string target, IReadOnlyDictionary<string, byte[]> targetKeys)
    {
        JsonDocument document;
        try
        {
            // Half-character escapes read as U+FFFD: they cannot match our key, and reading them must not throw.
            document = JsonDocument.Parse(LoneSurrogates.Replace(body).Json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return new(false, false, false, $"The answer is not JSON: {ex.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("server_keys", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return new(false, false, false, "The answer has no server_keys list.");
            }
            var probeKey = UnpaddedBase64.Encode(probe.PublicKey.Span);
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || Str(entry, "server_name") != us || !ListsKey(entry, probe.KeyId, probeKey))
                {
                    continue;
                }
                var signed = CanonicalJson.EncodeForSigning(Encoding.UTF8.GetBytes(entry.GetRawText()));
                if (!signed.IsSuccess)
                {
                    return new(true, false, false, $"Our key response in the answer is not canonical JSON: {signed.Reason}");
                }
                var bytes = signed.Bytes.ToArray();
                var byUs = Verifies(entry, us, bytes, new Dictionary<string, byte[]> { [probe.KeyId] = probe.PublicKey.ToArray() });
                var byTarget = Verifies(entry, target, bytes, targetKeys);
                var detail = (byUs, byTarget) switch
                {
                    (true, true) => $"The answer holds our probe key {probe.KeyId}, signed by us and by {target}.",
                    (true, false) => $"The answer holds our probe key {probe.KeyId}, but no signature of {target} verifies with the keys it published.",
                    (false, _) => $"The answer holds our probe key {probe.KeyId}, but our own signature on it does not verify.",
                };
                return new(true, byUs, byTarget, detail);
            }
            return new(false, false, false, $"The answer does not contain our probe key {probe.KeyId}: {target} could not fetch it from us.");
        }
    }

    private static bool ListsKey(JsonElement entry, string keyId, string keyBase64) =>
        entry.TryGetProperty("verify_keys", out var keys) && keys.ValueKind == JsonValueKind.Object &&
        keys.TryGetProperty(keyId, out var key) && key.ValueKind == JsonValueKind.Object && Str(key, "key") == keyBase64;

    private static bool Verifies(JsonElement entry, string signer, byte[] signedBytes, IReadOnlyDictionary<string, byte[]> keys)
    {
        if (!entry.TryGetProperty("signatures", out var all) || all.ValueKind != JsonValueKind.Object ||
            !all.TryGetProperty(signer, out var own) || own.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        foreach (var signature in own.EnumerateObject())
        {
            if (keys.TryGetValue(signature.Name, out var key) && signature.Value.ValueKind == JsonValueKind.String &&
                UnpaddedBase64.TryDecode(signature.Value.GetString(), out var sig) && Ed25519.Verify(key, signedBytes, sig))
            {
                return true;
            }
        }
        return false;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
