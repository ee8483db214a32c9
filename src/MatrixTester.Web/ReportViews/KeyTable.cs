using System.Globalization;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Web.ReportViews;

/// <summary>One signing key the server published: its id, the key, until when, and what its signature showed.</summary>
public sealed record KeyRow(string KeyId, string Key, string ValidUntil, string Signature, bool Verified);

/// <summary>What one address answered on /_matrix/key/v2/server.</summary>
public sealed record KeyTable(string Status, string ServerName, string ValidUntil, string AcceptedUntil, IReadOnlyList<KeyRow> Keys, IReadOnlyList<string> SignedBy)
{
    public static KeyTable From(ServerKeyResult keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var validUntil = DetailWords.Date(keys.ValidUntil);
        var rows = keys.VerifyKeys.Values.Select(k => new KeyRow(k.KeyId, k.KeyBase64 ?? DetailWords.None, validUntil, Signature(k), k.Ed25519?.MatchingSignature == true))
            .Concat(keys.OldVerifyKeys.Values.Select(k => new KeyRow(k.KeyId, k.KeyBase64 ?? DetailWords.None,
                $"expired {DetailWords.Date(k.Expired)}", "old key: not used to sign", false)))
            .ToList();
        var signedBy = keys.Signatures.Select(s => $"{s.Key}: {string.Join(", ", s.Value)}").ToList();
        return new KeyTable(keys.StatusCode.ToString(CultureInfo.InvariantCulture), keys.ServerName ?? DetailWords.None, validUntil,
            DetailWords.Date(keys.EffectiveValidUntil), rows, signedBy);
    }

    private static string Signature(VerifyKey key) => key switch
    {
        { Ed25519: null } => $"not checked: not an Ed25519 key ({key.Algorithm})",
        { KeyDecoded: false } => "the key is not valid base64",
        { Ed25519.ValidEd25519: false } => "not a valid Ed25519 key",
        { HasSignature: false } => "no signature with this key",
        { Ed25519.MatchingSignature: true } => "verifies",
        _ => "does not verify",
    };
}
