using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.RtcToken;

/// <summary>What we asked the authorization service for: the room and member a token must be for.</summary>
/// <param name="Legacy">Asked through <c>/sfu/get</c> (room, device) rather than <c>/get_token</c> (room, slot, member).</param>
public sealed record TokenRequest(string RoomId, string SlotId, string UserId, string DeviceId, string MemberId, bool Legacy)
{
    /// <summary>
    /// The LiveKit room names a token for this request may carry: the one lk-jwt-service derives (unpadded base64 of
    /// the SHA-256 of the JSON array [room, slot]; the legacy endpoint's slot is "m.call#ROOM"), or the Matrix room id
    /// itself (its older versions, and other services).
    /// </summary>
    public IReadOnlyList<string> Rooms => [Hash(RoomId, Legacy ? "m.call#ROOM" : SlotId), RoomId];

    /// <summary>The identities likewise: the hash of [user, device, member], "user:device" (legacy and older versions), or the user id.</summary>
    public IReadOnlyList<string> Identities => Legacy
        ? [$"{UserId}:{DeviceId}", UserId]
        : [Hash(UserId, DeviceId, MemberId), $"{UserId}:{DeviceId}", UserId];

    // Our ids are letters, digits and ":!@-_#."; the JSON array is then exactly what Go's json.Marshal writes.
    private static string Hash(params string[] parts)
    {
        var json = "[" + string.Join(',', parts.Select(p => $"\"{p}\"")) + "]";
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(json))).TrimEnd('=');
    }
}

/// <summary>
/// Reads a LiveKit access token (a JWT, HS256 with the LiveKit API secret) without verifying it: only the SFU has the
/// secret. Says whom and which room it is for, so a token for someone else (a cached or fixed answer) shows.
/// </summary>
public static class LiveKitToken
{
    /// <summary>Longer than any LiveKit token (they are a few hundred bytes); anything larger is not one.</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>The claims, or null with why the text is not a JWT.</summary>
    public static (LiveKitClaims? Claims, string? Problem) Read(string jwt, TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(request);
        if (jwt.Length > MaxLength)
        {
            return (null, $"the jwt is {jwt.Length} characters long, more than any LiveKit token");
        }
        var parts = jwt.Split('.');
        if (parts.Length != 3 || Decode(parts[0]) is not { } header || Decode(parts[1]) is not { } payload)
        {
            return (null, "the jwt is not three base64url parts separated by dots");
        }
        try
        {
            using var head = JsonDocument.Parse(LoneSurrogates.Replace(header).Json, new JsonDocumentOptions { MaxDepth = 8 });
            using var body = JsonDocument.Parse(LoneSurrogates.Replace(payload).Json, new JsonDocumentOptions { MaxDepth = 8 });
            if (head.RootElement.ValueKind != JsonValueKind.Object || body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "the jwt's header or claims are not JSON objects");
            }
            var claims = body.RootElement;
            var video = claims.TryGetProperty("video", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
            var identity = Str(claims, "sub");
            var room = video.ValueKind == JsonValueKind.Object ? Str(video, "room") : null;
            var join = video.ValueKind == JsonValueKind.Object && video.TryGetProperty("roomJoin", out var j) && j.ValueKind == JsonValueKind.True;
            DateTimeOffset? expires = claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300800
                ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
            var matches = join && identity is not null && room is not null
                && request.Identities.Contains(identity, StringComparer.Ordinal) && request.Rooms.Contains(room, StringComparer.Ordinal);
            return (new LiveKitClaims(Cap(Str(head.RootElement, "alg"), ReportText.Token), Cap(Str(claims, "iss"), ReportText.Name),
                Cap(identity, ReportText.Name), Cap(room, ReportText.Name), join, expires, matches), null);
        }
        catch (JsonException)
        {
            return (null, "the jwt's header or claims are not JSON");
        }
    }

    private static byte[]? Decode(string part)
    {
        var text = part.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Cap(string? text, int max) => ReportText.CapOrNull(text, max);
}
