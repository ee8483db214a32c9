using System.Text.Json;

namespace MatrixTester.Diagnostics.RtcToken;

/// <summary>
/// The authorization services a server publishes, as the token check's input: the <c>livekit_service_url</c> of
/// each <c>"type": "livekit"</c> transport, at most <see cref="Max"/>, each once. Read here from the client
/// well-known's <c>org.matrix.msc4143.rtc_foci</c> list; the client stage's transports (the transports endpoint
/// first) take its place once they exist.
/// </summary>
public static class PublishedServices
{
    /// <summary>A server publishes one, rarely two; a long list costs the target's services nothing but us time.</summary>
    public const int Max = 3;

    public static IReadOnlyList<Uri> FromTransports(IEnumerable<(string? Type, string? ServiceUrl)> transports)
    {
        ArgumentNullException.ThrowIfNull(transports);
        return transports
            .Where(t => t.Type == "livekit" && t.ServiceUrl is not null)
            .Select(t => Uri.TryCreate(t.ServiceUrl, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .DistinctBy(u => u.AbsoluteUri.TrimEnd('/'), StringComparer.Ordinal)
            .Take(Max)
            .ToArray();
    }

    /// <summary>The services in a client well-known body (<c>org.matrix.msc4143.rtc_foci</c>); none when it has none or is not JSON.</summary>
    public static IReadOnlyList<Uri> FromClientWellKnown(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(LoneSurrogates.Replace(body).Json, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("org.matrix.msc4143.rtc_foci", out var foci) || foci.ValueKind != JsonValueKind.Array)
            {
                return [];
            }
            return FromTransports(foci.EnumerateArray().Take(32).Where(f => f.ValueKind == JsonValueKind.Object)
                .Select(f => (Str(f, "type"), Str(f, "livekit_service_url"))).ToArray());
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
