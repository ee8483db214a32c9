using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>
/// Spec, server-server API, "Request Authentication": the origin signs the canonical JSON of
/// <c>{method, uri, origin, destination[, content]}</c> and sends
/// <c>Authorization: X-Matrix origin="…",destination="…",key="…",sig="…"</c>. <c>uri</c> is the path and query
/// exactly as sent (percent-encoding included), which is why a proxy that re-encodes or rewrites it breaks the check.
/// </summary>
public static class XMatrixSigner
{
    /// <summary>The bytes that get signed (exposed so tests and the report can show what was signed).</summary>
    public static byte[] SigningBytes(string method, string uri, string origin, string destination, JsonNode? content = null)
    {
        var request = new JsonObject
        {
            ["method"] = method,
            ["uri"] = uri,
            ["origin"] = origin,
            ["destination"] = destination,
        };
        if (content is not null)
        {
            request["content"] = content.DeepClone();
        }
        return CanonicalJson.Encode(request.ToJsonString()).GetBytesOrThrow();
    }

    /// <summary>The Authorization header value for a request signed by <paramref name="key"/>.</summary>
    public static string Authorization(IProbeKey key, string method, string uri, string origin, string destination, JsonNode? content = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = UnpaddedBase64.Encode(key.Sign(SigningBytes(method, uri, origin, destination, content)));
        return $"X-Matrix origin=\"{origin}\",destination=\"{destination}\",key=\"{key.KeyId}\",sig=\"{signature}\"";
    }
}
