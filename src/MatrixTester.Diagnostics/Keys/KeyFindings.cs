using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Findings about <c>GET /_matrix/key/v2/server</c> (spec, server-server API, "Retrieving server keys";
/// severities as in the engine README, "Severities").
/// </summary>
public static class KeyFindings
{
    private const string Docs = "keys";

    public static readonly FindingDefinition HttpStatus = new("keys.http_status", Severity.Error,
        "The key endpoint did not answer 200 OK", Docs + "#http-status",
        "Make sure /_matrix/key/v2/server reaches your homeserver: check the reverse proxy forwards /_matrix/ to it.");

    public static readonly FindingDefinition ContentType = new("keys.content_type", Severity.Error,
        "The key response is not labelled application/json", Docs + "#content-type",
        "Serve the response with Content-Type: application/json; Synapse refuses other types. A proxy or error page may be answering instead of the homeserver.");

    public static readonly FindingDefinition TooLarge = new("keys.too_large", Severity.Error,
        "The key response is too large", Docs + "#invalid-json",
        "A key response is a few hundred bytes; check that the homeserver, not another site, answers /_matrix/key/v2/server.");

    public static readonly FindingDefinition InvalidJson = new("keys.invalid_json", Severity.Error,
        "The key response is not valid JSON", Docs + "#invalid-json",
        "Check that the homeserver itself answers /_matrix/key/v2/server, not a web server or proxy error page.");

    public static readonly FindingDefinition InvalidUtf8 = new("keys.invalid_utf8", Severity.Error,
        "The key response is not valid UTF-8", Docs + "#invalid-json",
        "Matrix JSON must be UTF-8. Check for a proxy that rewrites the body or its character set.");

    public static readonly FindingDefinition NotObject = new("keys.not_object", Severity.Error,
        "The key response is not a JSON object", Docs + "#invalid-json",
        "The response must be a JSON object with server_name, verify_keys, signatures and valid_until_ts.");

    public static readonly FindingDefinition TooDeep = new("keys.too_deep", Severity.Error,
        "The key response is nested too deeply", Docs + "#invalid-json",
        "A key response is shallow; a deeply nested body is not a real key response.");

    public static readonly FindingDefinition DuplicateKeys = new("keys.duplicate_keys", Severity.Error,
        "The key response repeats a JSON member name", Docs + "#canonical-json",
        "Remove the duplicated member. Servers parse duplicates differently, so the signed content is ambiguous.");

    public static readonly FindingDefinition InvalidNumber = new("keys.invalid_number", Severity.Error,
        "The key response contains a number canonical JSON does not allow", Docs + "#canonical-json",
        "Signed Matrix JSON allows only integers between -(2^53-1) and 2^53-1, without fractions or exponents.");

    public static readonly FindingDefinition ServerNameMissing = new("keys.server_name_missing", Severity.Error,
        "The key response has no server_name", Docs + "#server-name",
        "The response must include \"server_name\" as a string equal to your server name.");

    public static readonly FindingDefinition ServerNameMismatch = new("keys.server_name_mismatch", Severity.Error,
        "The key response is for a different server name", Docs + "#server-name",
        "Set the homeserver's server_name to the name users have in their IDs (e.g. @alice:example.org → example.org), or query the right name.");

    public static readonly FindingDefinition ValidUntilMissing = new("keys.valid_until_missing", Severity.Error,
        "The key response has no valid_until_ts", Docs + "#valid-until",
        "The response must include valid_until_ts as an integer in milliseconds since the epoch.");

    public static readonly FindingDefinition ValidUntilPast = new("keys.valid_until_past", Severity.Error,
        "The published keys have expired", Docs + "#valid-until",
        "valid_until_ts is in the past. Check the server clock (NTP) and restart the homeserver so it re-signs its keys.");

    public static readonly FindingDefinition ValidUntilSoon = new("keys.valid_until_soon", Severity.Warning,
        "The published keys expire in less than an hour", Docs + "#valid-until",
        "The spec says servers should not publish keys that expire within an hour. Increase the key refresh interval.");

    public static readonly FindingDefinition ValidUntilCapped = new("keys.valid_until_capped", Severity.Info,
        "Other servers will treat the keys as valid for at most 7 days", Docs + "#valid-until",
        "Nothing to fix: servers use the lesser of valid_until_ts and 7 days from now (room version 5 and later).");

    public static readonly FindingDefinition VerifyKeysMissing = new("keys.verify_keys_missing", Severity.Error,
        "The key response has no verify_keys object", Docs + "#verify-keys",
        "The response must include verify_keys: an object mapping key IDs such as ed25519:abc to {\"key\": ...}.");

    public static readonly FindingDefinition NoEd25519Key = new("keys.no_ed25519_key", Severity.Error,
        "The key response has no ed25519 key", Docs + "#verify-keys",
        "Publish at least one ed25519 signing key; it is the only algorithm Matrix defines.");

    public static readonly FindingDefinition KeyInvalid = new("keys.key_invalid", Severity.Error,
        "A verify key is not a valid 32-byte ed25519 key", Docs + "#verify-keys",
        "Each ed25519 key must be the 32-byte public key in unpadded base64. Regenerate the signing key if the file is damaged.");

    public static readonly FindingDefinition KeyIdInvalid = new("keys.key_id_invalid", Severity.Warning,
        "A key ID does not follow the algorithm:version form", Docs + "#verify-keys",
        "Key IDs look like ed25519:abc_123; the version part may only use letters, digits and underscores.");

    public static readonly FindingDefinition SignatureMissing = new("keys.signature_missing", Severity.Warning,
        "A verify key has not signed the key response", Docs + "#signatures",
        "Sign the response with every published verify key (the Go federation tester and Dendrite require it).");

    public static readonly FindingDefinition SignatureInvalid = new("keys.signature_invalid", Severity.Error,
        "A signature on the key response does not verify", Docs + "#signatures",
        "The signature does not match the key and content. Something may rewrite the response (a proxy), or the published key is not the one signing. Synapse rejects the whole response when the signature it checks fails, and Go-based servers check every key.");

    public static readonly FindingDefinition NoValidSignature = new("keys.no_valid_signature", Severity.Error,
        "The key response has no valid self-signature", Docs + "#signatures",
        "Other servers reject keys not signed by one of the listed verify keys. Check the signing key file and that nothing rewrites the response.");

    public static readonly FindingDefinition PaddedBase64 = new("keys.padded_base64", Severity.Warning,
        "A key or signature uses padded base64", Docs + "#base64",
        "Remove the trailing '=' characters: Matrix uses unpadded base64, and Go-based servers such as Dendrite reject padding.");

    public static readonly FindingDefinition BannedKey = new("keys.banned_key", Severity.Warning,
        "A published key is one Synapse has banned as compromised", Docs + "#verify-keys",
        "Generate a new signing key; Synapse refuses this one (ELEMENTSEC-2025-1670).");

    public static readonly FindingDefinition OldVerifyKeys = new("keys.old_verify_keys", Severity.Info,
        "The server lists old verify keys", Docs + "#old-verify-keys",
        "Nothing to fix: old keys let others check events signed before the key was replaced.");

    public static readonly FindingDefinition OldVerifyKeyMalformed = new("keys.old_verify_key_malformed", Severity.Error,
        "An old verify key entry is malformed", Docs + "#old-verify-keys",
        "Each ed25519 old_verify_keys entry needs \"key\" (a 32-byte key in unpadded base64) and \"expired_ts\" (integer milliseconds); Synapse discards the whole key response otherwise. Fix or remove the entry.");

    public static readonly FindingDefinition UnknownAlgorithm = new("keys.unknown_algorithm", Severity.Info,
        "A verify key uses an algorithm other than ed25519", Docs + "#verify-keys",
        "Nothing to fix: servers ignore algorithms they do not know, but only ed25519 keys count.");

    public static readonly FindingDefinition MismatchBetweenAddresses = new("keys.mismatch_between_addresses", Severity.Error,
        "Different addresses serve different keys", Docs + "#mismatch-between-addresses",
        "Every address of your server must reach the same homeserver. Check DNS records and load balancers for a stale or foreign backend.");
}
