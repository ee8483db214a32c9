using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>The Go tester's per-key check (gomatrixserverlib <c>Ed25519Checks</c>).</summary>
public sealed record Ed25519Check(bool ValidEd25519, bool MatchingSignature);

/// <summary>One <c>verify_keys</c> entry. <see cref="Ed25519"/> is null for other algorithms.</summary>
public sealed record VerifyKey(
    string KeyId,
    string Algorithm,
    string? KeyBase64,
    bool KeyDecoded,
    int? KeyLength,
    bool KeyPadded,
    bool HasSignature,
    Ed25519Check? Ed25519);

/// <summary>One <c>old_verify_keys</c> entry (old keys sign only old events, never the key response itself).</summary>
public sealed record OldVerifyKey(string KeyId, string? KeyBase64, long? ExpiredTs)
{
    public DateTimeOffset? Expired => ExpiredTs is { } ms ? UnixMilliseconds.ToDateTimeOffset(ms) : null;
}

/// <summary>
/// What one address answered on <c>/_matrix/key/v2/server</c> and how it fared against the checks of Synapse and
/// gomatrixserverlib (the compatible report's <c>Checks</c>; the engine README, "Judging a key response").
/// </summary>
public sealed record ServerKeyResult
{
    /// <summary>The address or host this result is about, used as the finding subject.</summary>
    public string? Subject { get; init; }

    public int StatusCode { get; init; }

    /// <summary>True when the response was 200 with a JSON object body: the Go tester then files it under
    /// <c>ConnectionReports</c>, otherwise under <c>ConnectionErrors</c>.</summary>
    public bool IsKeyResponse { get; init; }

    public string? ServerName { get; init; }
    public long? ValidUntilTs { get; init; }
    public DateTimeOffset? ValidUntil => ValidUntilTs is { } ms ? UnixMilliseconds.ToDateTimeOffset(ms) : null;

    /// <summary>min(valid_until_ts, now + 7 days): how long room version 5+ servers accept the keys.</summary>
    public DateTimeOffset? EffectiveValidUntil { get; init; }

    public IReadOnlyDictionary<string, VerifyKey> VerifyKeys { get; init; } = new Dictionary<string, VerifyKey>();
    public IReadOnlyDictionary<string, OldVerifyKey> OldVerifyKeys { get; init; } = new Dictionary<string, OldVerifyKey>();

    /// <summary>signatures: signing entity → key IDs that signed.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Signatures { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public bool MatchingServerName { get; init; }
    public bool FutureValidUntilTS { get; init; }
    public bool HasEd25519Key { get; init; }

    /// <summary>Null when there are no ed25519 keys, as in the Go report.</summary>
    public bool? AllEd25519ChecksOK { get; init; }

    public IReadOnlyDictionary<string, Ed25519Check> Ed25519Checks { get; init; } = new Dictionary<string, Ed25519Check>();

    /// <summary>gomatrixserverlib CheckKeys: everything except certificates (the report ANDs ValidCertificates in).</summary>
    public bool AllChecksOK => MatchingServerName && FutureValidUntilTS && HasEd25519Key && AllEd25519ChecksOK == true;

    /// <summary>Synapse's rule: at least one verify key's signature verifies (the engine README, "Judging a key response", step 5).</summary>
    public bool HasValidSelfSignature => Ed25519Checks.Values.Any(c => c.MatchingSignature);

    /// <summary>Go report <c>Ed25519VerifyKeys</c>: key ID → base64 for keys with a matching signature; null
    /// unless <see cref="AllChecksOK"/>.</summary>
    public IReadOnlyDictionary<string, string>? Ed25519VerifyKeys => AllChecksOK
        ? VerifyKeys.Values.Where(k => k.Ed25519?.MatchingSignature == true).ToDictionary(k => k.KeyId, k => k.KeyBase64!)
        : null;

    /// <summary>
    /// The response body as text (UTF-8 decoded; lossy if it was not UTF-8), capped like every server-controlled
    /// string (<see cref="ReportText.KeyResponse"/>). The report keeps this and what the checks decided, not the
    /// parsed body: the Go-compatible report's <c>Keys</c> is parsed again from it when it is whole.
    /// </summary>
    public string? RawBody { get; init; }

    public IReadOnlyList<Finding> Findings { get; init; } = [];
}
