using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// The MatrixRTC documents a server publishes: transport lists (MSC4143's <c>rtc_transports</c> answer and the older
/// <c>org.matrix.msc4143.rtc_foci</c> key of the client well-known) and Matrix error bodies. Transport shapes in use:
/// <c>{"type": "livekit", "livekit_service_url": …}</c>, <c>{"type": "livekit_multi_sfu", "livekit_service_url": …}</c>
/// and MSC4195's newest <c>{"type": "m.livekit", "url": "wss://…"}</c>.
/// </summary>
public static class RtcDocuments
{
    public const string WellKnownFociKey = "org.matrix.msc4143.rtc_foci";

    /// <summary>Transports kept per list (a deployment publishes one or two).</summary>
    public const int MaxTransports = 8;

    /// <summary>The transports of a JSON array; entries that are not objects with a string "type" are skipped.</summary>
    public static IReadOnlyList<RtcTransport> ParseTransports(JsonElement list, RtcTransportSource source)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        return [.. list.EnumerateArray()
            .Where(t => t.ValueKind == JsonValueKind.Object && ClientDocuments.String(t, "type") is not null)
            .Take(MaxTransports)
            .Select(t => new RtcTransport(
                ReportText.Cap(ClientDocuments.String(t, "type")!, ReportText.Name),
                ReportText.CapOrNull(ClientDocuments.String(t, "livekit_service_url"), ReportText.Url),
                ReportText.CapOrNull(ClientDocuments.String(t, "url"), ReportText.Url),
                source))];
    }

    /// <summary>A transports endpoint's 200 answer: <c>{"rtc_transports": [...]}</c>, or <c>{}</c> when none are configured; null when it is not that.</summary>
    public static IReadOnlyList<RtcTransport>? ParseTransportsAnswer(ReadOnlySpan<byte> body)
    {
        if (!ClientDocuments.TryParse(body, out var document, out _))
        {
            return null;
        }
        using (document)
        {
            if (!document.RootElement.TryGetProperty("rtc_transports", out var list))
            {
                return [];
            }
            return list.ValueKind == JsonValueKind.Array ? ParseTransports(list, RtcTransportSource.TransportsEndpoint) : null;
        }
    }

    /// <summary>The <c>errcode</c> of a Matrix error body (capped), or null when the body is not one.</summary>
    public static string? Errcode(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || !ClientDocuments.TryParse(body, out var document, out _))
        {
            return null;
        }
        using (document)
        {
            return ReportText.CapOrNull(ClientDocuments.String(document.RootElement, "errcode"), ReportText.Token);
        }
    }
}
