using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Compares the key responses of every address of one server. All addresses should reach the same homeserver, so
/// they must report the same server_name and the same verify keys; a difference usually means a stale DNS record,
/// a forgotten backend or a load balancer sending some traffic elsewhere.
/// </summary>
public static class ServerKeyComparison
{
    public static IReadOnlyList<Finding> Compare(IEnumerable<ServerKeyResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var groups = results
            .Where(r => r.IsKeyResponse)
            .GroupBy(Fingerprint, StringComparer.Ordinal)
            .ToArray();
        if (groups.Length <= 1)
        {
            return [];
        }

        var lines = groups.Select(g =>
        {
            var first = g.First();
            var keys = first.VerifyKeys.Count == 0
                ? "no verify keys"
                : string.Join(", ", first.VerifyKeys.Values.OrderBy(k => k.KeyId, StringComparer.Ordinal).Select(k => $"{k.KeyId}={k.KeyBase64}"));
            var addresses = string.Join(", ", g.Select(r => r.Subject ?? "(unnamed)"));
            return $"{addresses}: server_name \"{first.ServerName}\", {keys}";
        });

        return
        [
            KeyFindings.MismatchBetweenAddresses.Create(
                $"The {groups.Sum(g => g.Count())} addresses that answered give {groups.Length} different key responses.",
                "Other servers pick any address, so some of them will see different keys or a different server. Seen: "
                + string.Join("; ", lines) + "."),
        ];
    }

    private static string Fingerprint(ServerKeyResult result) =>
        result.ServerName + "\n" + string.Join("\n", result.VerifyKeys.Values
            .OrderBy(k => k.KeyId, StringComparer.Ordinal)
            .Select(k => k.KeyId + "=" + Normalize(k.KeyBase64)));

    // Padded and unpadded spellings of one key are the same key.
    private static string? Normalize(string? base64) =>
        UnpaddedBase64.TryDecode(base64, out var bytes) ? UnpaddedBase64.Encode(bytes) : base64;
}
