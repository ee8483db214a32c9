using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Checks one <c>GET /_matrix/key/v2/server</c> response (spec, server-server API, "Retrieving server keys";
/// the engine README, "Judging a key response"). Pure: the caller fetches, this judges.
/// </summary>
public static class ServerKeyChecker
{
    /// <summary>Spec: origin servers should avoid responses that expire in less than an hour.</summary>
    public static readonly TimeSpan MinimumValidity = TimeSpan.FromHours(1);

    /// <summary>Spec (keys.yaml): servers use the lesser of valid_until_ts and 7 days into the future.</summary>
    public static readonly TimeSpan MaximumValidity = TimeSpan.FromDays(7);

    /// <summary>Entries of each key map (verify_keys, old_verify_keys, signatures) kept in a report; servers list one to a few.</summary>
    public const int MaxReportedKeys = 32;

    public static ServerKeyResult Check(
        int statusCode,
        string? contentType,
        ReadOnlyMemory<byte> body,
        string expectedServerName,
        DateTimeOffset now,
        string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(expectedServerName);
        var findings = new List<Finding>();
        var result = new ServerKeyResult { Subject = subject, StatusCode = statusCode, RawBody = ReportText.Cap(body.Span, ReportText.KeyResponse) };

        if (statusCode != 200)
        {
            findings.Add(KeyFindings.HttpStatus.Create(
                $"/_matrix/key/v2/server answered HTTP {statusCode}.",
                "Other servers fetch your signing keys from this endpoint; without them they cannot verify anything your server sends.",
                subject));
            return result with { Findings = FindingList.Bounded(findings) };
        }

        if (!IsJson(contentType))
        {
            findings.Add(KeyFindings.ContentType.Create(
                $"The key response has Content-Type \"{contentType ?? "(none)"}\", not application/json.",
                "Synapse refuses key responses that are not labelled application/json.", subject));
        }

        // Canonicalising first validates everything the signature depends on: UTF-8, syntax, depth, numbers, duplicates.
        var canonical = CanonicalJson.EncodeForSigning(body.Span);
        if (!canonical.IsSuccess)
        {
            findings.Add(BodyFinding(canonical, subject));
            return result with { Findings = FindingList.Bounded(findings) };
        }

        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = CanonicalJson.DefaultMaxDepth });
        var root = document.RootElement;
        var serverName = CheckServerName(root, expectedServerName, subject, findings);
        var validUntil = CheckValidUntil(root, now, subject, findings);

        // Like Synapse and gomatrixserverlib, look signatures up under the server_name the response claims: when it
        // differs from the expected name, the mismatch is its own error rather than a cascade of "unsigned" warnings.
        var signer = serverName ?? expectedServerName;
        var keys = VerifyKeyChecker.Check(root, signer, canonical.Bytes.Span, subject, findings);

        return result with
        {
            IsKeyResponse = true,
            ServerName = ReportText.CapOrNull(serverName, ReportText.Line),
            ValidUntilTs = validUntil,
            EffectiveValidUntil = validUntil is { } ms
                ? Min(UnixMilliseconds.ToDateTimeOffset(ms), now + MaximumValidity)
                : null,
            MatchingServerName = serverName == expectedServerName,
            FutureValidUntilTS = validUntil > now.ToUnixTimeMilliseconds(),
            VerifyKeys = Kept(keys.VerifyKeys, ReportText.Token, (id, k) => k with { KeyId = id, KeyBase64 = ReportText.CapOrNull(k.KeyBase64, ReportText.Token) }),
            OldVerifyKeys = Kept(keys.OldVerifyKeys, ReportText.Token, (id, k) => k with { KeyId = id, KeyBase64 = ReportText.CapOrNull(k.KeyBase64, ReportText.Token) }),
            Signatures = Kept(keys.Signatures, ReportText.Name, (_, ids) => [.. ids.Take(MaxReportedKeys).Select(i => ReportText.Cap(i, ReportText.Token))]),
            HasEd25519Key = keys.Ed25519Checks.Count > 0,
            AllEd25519ChecksOK = keys.Ed25519Checks.Count > 0 ? keys.Ed25519Checks.Values.All(c => c.MatchingSignature) : null,
            Ed25519Checks = Kept(keys.Ed25519Checks, ReportText.Token, (_, c) => c),
            Findings = FindingList.Bounded(findings),
        };
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The first <see cref="MaxReportedKeys"/> entries of a key map with their ids (or signing names) capped: they are the server's
    /// text, and the checks above have already looked at every entry.
    /// </summary>
    private static Dictionary<string, T> Kept<T>(IReadOnlyDictionary<string, T> map, int idBytes, Func<string, T, T> cap)
    {
        var kept = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (id, value) in map.Take(MaxReportedKeys))
        {
            var shown = ReportText.Cap(id, idBytes);
            kept.TryAdd(shown, cap(shown, value));
        }
        return kept;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static Finding BodyFinding(CanonicalJsonResult canonical, string? subject)
    {
        var definition = canonical.Error switch
        {
            CanonicalJsonError.TooLarge => KeyFindings.TooLarge,
            CanonicalJsonError.InvalidUtf8 or CanonicalJsonError.InvalidString => KeyFindings.InvalidUtf8,
            CanonicalJsonError.TooDeep => KeyFindings.TooDeep,
            CanonicalJsonError.DuplicateKey => KeyFindings.DuplicateKeys,
            CanonicalJsonError.NonIntegerNumber or CanonicalJsonError.IntegerOutOfRange => KeyFindings.InvalidNumber,
            CanonicalJsonError.NotAnObject => KeyFindings.NotObject,
            _ => KeyFindings.InvalidJson,
        };
        return definition.Create(
            $"{definition.Title}: {canonical.Reason}",
            "The signature covers the canonical JSON form of the response, and this body has none, so no server can verify it.",
            subject);
    }

    private static string? CheckServerName(JsonElement root, string expected, string? subject, List<Finding> findings)
    {
        if (!root.TryGetProperty("server_name", out var element) || element.ValueKind != JsonValueKind.String)
        {
            findings.Add(KeyFindings.ServerNameMissing.Create(
                "The key response has no \"server_name\" string.",
                "Servers check that the keys belong to the server they asked for, using this field.", subject));
            return null;
        }

        var reported = element.GetString()!;
        if (reported != expected)
        {
            findings.Add(KeyFindings.ServerNameMismatch.Create(
                $"The key response is for \"{reported}\", but \"{expected}\" was checked.",
                "Other servers discard keys whose server_name differs from the name they asked for (the comparison is exact and case-sensitive)."
                + ServerNameHint.For(reported, expected),
                subject));
        }

        return reported;
    }

    private static long? CheckValidUntil(JsonElement root, DateTimeOffset now, string? subject, List<Finding> findings)
    {
        if (!root.TryGetProperty("valid_until_ts", out var element) || element.ValueKind != JsonValueKind.Number
            || !element.TryGetInt64(out var ms))
        {
            findings.Add(KeyFindings.ValidUntilMissing.Create(
                "The key response has no integer \"valid_until_ts\".",
                "Servers need it to know how long they may use the keys.", subject));
            return null;
        }

        var validUntil = UnixMilliseconds.ToDateTimeOffset(ms);
        var left = validUntil - now;
        if (left <= TimeSpan.Zero)
        {
            findings.Add(KeyFindings.ValidUntilPast.Create(
                $"The keys expired at {validUntil:u} ({Describe(-left)} ago).",
                "Other servers will not accept expired keys, so they cannot verify your requests or events.", subject));
        }
        else if (left < MinimumValidity)
        {
            findings.Add(KeyFindings.ValidUntilSoon.Create(
                $"The keys expire at {validUntil:u}, in {Describe(left)}.",
                "Servers that cache this response will have to fetch it again almost at once.", subject));
        }
        else if (left > MaximumValidity)
        {
            findings.Add(KeyFindings.ValidUntilCapped.Create(
                $"valid_until_ts is {validUntil:u}, {Describe(left)} ahead; servers cap it at 7 days ({now + MaximumValidity:u}).",
                "From room version 5, servers use the lesser of valid_until_ts and 7 days from now.", subject));
        }

        return ms;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{span.TotalDays:0.#} days"
        : span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hours"
        : $"{Math.Max(1, (int)span.TotalMinutes)} minutes";
}
