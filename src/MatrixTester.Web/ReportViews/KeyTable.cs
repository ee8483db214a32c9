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
                SiteText.Format("detail.key.expired", DetailWords.Date(k.Expired)), SiteText.Get("detail.key.old"), false)))
            .ToList();
        var signedBy = keys.Signatures.Select(s => $"{s.Key}: {string.Join(", ", s.Value)}").ToList();
        return new KeyTable(keys.StatusCode.ToString(CultureInfo.InvariantCulture), keys.ServerName ?? DetailWords.None, validUntil,
            DetailWords.Date(keys.EffectiveValidUntil), rows, signedBy);
    }

    private static string Signature(VerifyKey key) => key switch
    {
        { Ed25519: null } => SiteText.Format("detail.key.not_ed25519", key.Algorithm),
        { KeyDecoded: false } => SiteText.Get("detail.key.bad_base64"),
        { Ed25519.ValidEd25519: false } => SiteText.Get("detail.key.invalid"),
        { HasSignature: false } => SiteText.Get("detail.key.no_signature"),
        { Ed25519.MatchingSignature: true } => SiteText.Get("detail.key.verifies"),
        _ => SiteText.Get("detail.key.does_not_verify"),
    };
}
