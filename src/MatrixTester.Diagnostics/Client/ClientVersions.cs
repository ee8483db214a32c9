using System.Globalization;
using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// <c>/_matrix/client/versions</c> (client-server API, "GET /_matrix/client/versions"): the spec versions the server
/// supports and the unstable features it switched on. Both lists are capped like every server-controlled text.
/// </summary>
public sealed record ClientVersions(IReadOnlyList<string> Versions, IReadOnlyList<string> UnstableFeatures)
{
    /// <summary>Spec versions kept in a report (a homeserver lists about twenty).</summary>
    public const int MaxVersions = 64;

    /// <summary>Unstable features kept in a report: those set to true (Synapse switches on about twenty of its fifty).</summary>
    public const int MaxFeatures = 64;

    /// <summary>Delayed events, MSC4140: what call members use to leave a call they dropped out of.</summary>
    public const string DelayedEvents = "org.matrix.msc4140";

    /// <summary>The transports endpoint, MSC4143.</summary>
    public const string RtcTransports = "org.matrix.msc4143";

    /// <summary>An object with a "versions" array of strings; null otherwise.</summary>
    public static ClientVersions? Parse(ReadOnlySpan<byte> body)
    {
        if (!ClientDocuments.TryParse(body, out var document, out _))
        {
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Array ||
                versions.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            {
                return null;
            }
            var features = root.TryGetProperty("unstable_features", out var map) && map.ValueKind == JsonValueKind.Object
                ? map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => Cap(p.Name)).Take(MaxFeatures).ToArray()
                : [];
            return new ClientVersions(versions.EnumerateArray().Select(v => Cap(v.GetString()!)).Take(MaxVersions).ToArray(), features);
        }
    }

    public bool Has(string feature) => UnstableFeatures.Contains(feature, StringComparer.Ordinal);

    /// <summary>True when a listed version is <c>v{major}.{minor}</c> or later.</summary>
    public bool AtLeast(int major, int minor) => Versions.Any(v => TryRead(v, out var m, out var n) && (m > major || (m == major && n >= minor)));

    /// <summary>Room summary: spec v1.15 (GET /_matrix/client/v1/room_summary), or MSC3266's unstable flag.</summary>
    public bool RoomSummary => AtLeast(1, 15) || Has("im.nheko.summary") || Has("org.matrix.msc3266");

    /// <summary><c>state_after</c> in sync, MSC4222.</summary>
    public bool StateAfter => Has("org.matrix.msc4222");

    private static bool TryRead(string version, out int major, out int minor)
    {
        (major, minor) = (0, 0);
        var parts = version.StartsWith('v') ? version[1..].Split('.') : [];
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out major) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }

    private static string Cap(string text) => ReportText.Cap(text, ReportText.Name);
}
