using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.RtcToken;

/// <summary>The end-to-end call token check's own verdict (docs/calls.md, "token check").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TokenCheckStatus>))]
public enum TokenCheckStatus
{
    /// <summary>Every authorization service checked gave our probe user a token the SFU accepts, on a public wss:// URL.</summary>
    Works,
    /// <summary>A service refused our user, answered something unusable, pointed at a non-public SFU, or the SFU refused its token.</summary>
    Broken,
    /// <summary>Not run or not finished: no service published, one could not be reached, the time ran out, or the tester had no check free.</summary>
    Skipped,
    /// <summary>This tester has no Matrix identity (<c>Federation:ServerName</c> unset, or the CLI).</summary>
    NotConfigured,
}

/// <summary>
/// <c>matrixRtc.tokenCheck</c> in the v2 report. The tokens themselves (ours and the service's JWT) never appear here.
/// </summary>
/// <param name="CallbackSeen">An authorization service called our userinfo endpoint with the token we gave it.</param>
/// <param name="SfuUrl">The SFU URL the (first) service answered with.</param>
public sealed record TokenCheckReport(TokenCheckStatus Status, bool CallbackSeen, string? SfuUrl)
{
    /// <summary>One line for the page and the CLI.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Each authorization service asked, in the order they were published.</summary>
    public IReadOnlyList<ServiceTokenReport> Services { get; init; } = [];

    /// <summary>The findings of the check (they are also in the report's findings list).</summary>
    [JsonIgnore]
    public IReadOnlyList<Findings.Finding> Findings { get; init; } = [];

    public static TokenCheckReport NotConfigured { get; } = new(TokenCheckStatus.NotConfigured, false, null)
    {
        Summary = "The call token check needs the web site: it acts as the homeserver of a test user, which your authorization service must be able to reach",
    };

    public static TokenCheckReport Skipped(string why) => new(TokenCheckStatus.Skipped, false, null) { Summary = why };
}

/// <summary>What one authorization service did with our probe user's OpenID token.</summary>
/// <param name="ServiceUrl">The service URL as published (<c>livekit_service_url</c>).</param>
/// <param name="Endpoint">"/get_token" or the legacy "/sfu/get"; null when no request was answered.</param>
/// <param name="Outcome">"Works", "Refused", "Failed", "InvalidAnswer", "SfuNotPublic", "SfuRefused", "SfuUnreachable", "Unreachable".</param>
public sealed record ServiceTokenReport(string ServiceUrl, string? Endpoint, int? Status, string Outcome)
{
    /// <summary>The probe user the token was for.</summary>
    public string? UserId { get; init; }

    public string? Errcode { get; init; }

    /// <summary>The start of the service's answer when it was not a token (capped).</summary>
    public string? ErrorBody { get; init; }

    /// <summary>A transport failure, in words.</summary>
    public string? Error { get; init; }

    /// <summary>Calls of our userinfo endpoint with this service's token.</summary>
    public IReadOnlyList<OpenIdCallback> Callbacks { get; init; } = [];

    public string? SfuUrl { get; init; }

    /// <summary>What the JWT's claims say (read, not verified: only the SFU holds the secret).</summary>
    public LiveKitClaims? Token { get; init; }

    /// <summary>The SFU's answer to <c>GET /rtc/validate</c> with the token (the URL is shown without it).</summary>
    public SfuValidation? SfuValidation { get; init; }
}

/// <summary>The claims of a LiveKit access token that say whom and what it is for.</summary>
/// <param name="MatchesRequest">The room and identity are those lk-jwt-service derives from what we asked for.</param>
public sealed record LiveKitClaims(string? Algorithm, string? Issuer, string? Identity, string? Room, bool RoomJoin, DateTimeOffset? ExpiresAt, bool MatchesRequest);

/// <summary><c>GET &lt;sfu&gt;/rtc/validate</c>: 200 or 404 (room not created yet) means the SFU accepted the token's signature.</summary>
public sealed record SfuValidation(string Url, int? Status, string? Body, string? Error)
{
    [JsonIgnore]
    public bool Accepted => Status is 200 or 404;
}
