using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// The login documents: the homeserver's OAuth 2.0 server metadata (client-server API v1.15, "GET
/// /_matrix/client/v1/auth_metadata"; MSC2965's older <c>auth_issuer</c> gives the issuer only), the issuer's OpenID
/// Connect discovery document and its key set. Every URL kept is capped.
/// </summary>
public static class AuthDocuments
{
    public const string MetadataPath = "/_matrix/client/v1/auth_metadata";
    public const string UnstableMetadataPath = "/_matrix/client/unstable/org.matrix.msc2965/auth_metadata";
    public const string UnstableIssuerPath = "/_matrix/client/unstable/org.matrix.msc2965/auth_issuer";
    public const string DiscoverySuffix = "/.well-known/openid-configuration";

    /// <summary>
    /// An issuer and the endpoints a metadata or discovery document names; null when the body has no issuer string.
    /// <paramref name="Missing"/>: what the client-server API's metadata must have but this one lacks (clients refuse it).
    /// </summary>
    public sealed record Metadata(string Issuer, string? AuthorizationEndpoint, string? TokenEndpoint, string? JwksUri, IReadOnlyList<string> Missing);

    /// <summary>
    /// What <c>GET /_matrix/client/v1/auth_metadata</c> must contain (client-server API, OAuth 2.0 server metadata):
    /// these endpoints, and these values in these lists. Element Web refuses the metadata when one is missing.
    /// </summary>
    private static readonly string[] RequiredEndpoints = ["authorization_endpoint", "token_endpoint", "revocation_endpoint", "registration_endpoint"];

    private static readonly (string List, string Value)[] RequiredValues =
    [
        ("response_types_supported", "code"),
        ("grant_types_supported", "authorization_code"),
        ("grant_types_supported", "refresh_token"),
        ("response_modes_supported", "query"),
        ("response_modes_supported", "fragment"),
        ("code_challenge_methods_supported", "S256"),
    ];

    public static Metadata? ParseMetadata(ReadOnlySpan<byte> body)
    {
        if (!ClientDocuments.TryParse(body, out var document, out _))
        {
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            // Kept whole, not capped: the issuer is compared exactly. The page and report show the capped copy.
            if (ClientDocuments.String(root, "issuer") is not { } issuer)
            {
                return null;
            }
            var missing = RequiredEndpoints.Where(name => ClientDocuments.String(root, name) is null)
                .Concat(RequiredValues.Where(r => !Contains(root, r.List, r.Value)).Select(r => $"\"{r.Value}\" in {r.List}"))
                .ToArray();
            return new Metadata(issuer, Url(root, "authorization_endpoint"), Url(root, "token_endpoint"), ClientDocuments.String(root, "jwks_uri"), missing);
        }
    }

    /// <summary>
    /// OpenID Connect Discovery 1.0, section 4: the document is at the issuer with any trailing slash removed, followed
    /// by /.well-known/openid-configuration; null when the issuer is not an https:// URL without query or fragment.
    /// </summary>
    public static Uri? DiscoveryUrl(string issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Query.Length == 0 && uri.Fragment.Length == 0
            ? new Uri(issuer.TrimEnd('/') + DiscoverySuffix)
            : null;
    }

    /// <summary>The number of keys in a JSON Web Key Set (RFC 7517, section 5), or null when the body is not one.</summary>
    public static int? KeyCount(ReadOnlySpan<byte> body)
    {
        if (!ClientDocuments.TryParse(body, out var document, out _))
        {
            return null;
        }
        using (document)
        {
            return document.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array
                ? keys.EnumerateArray().Count(k => k.ValueKind == JsonValueKind.Object)
                : null;
        }
    }

    private static bool Contains(JsonElement root, string list, string value) =>
        root.TryGetProperty(list, out var array) && array.ValueKind == JsonValueKind.Array &&
        array.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == value);

    private static string? Url(JsonElement root, string name) => ReportText.CapOrNull(ClientDocuments.String(root, name), ReportText.Url);
}
