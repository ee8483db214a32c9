using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Client;

/// <summary>Whether the homeserver's federation listener routes the OpenID userinfo endpoint the authorization service calls.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UserinfoOutcome>))]
public enum UserinfoOutcome
{
    /// <summary>Unauthenticated it answered 401 (M_MISSING_TOKEN / M_UNKNOWN_TOKEN) or another Matrix error that only the endpoint gives.</summary>
    Routed,
    /// <summary>404 / 405 or M_UNRECOGNIZED: not routed to the homeserver.</summary>
    NotRouted,
    /// <summary>Could not be told: no federation address, a connection failure or an answer of another kind.</summary>
    Unknown,
    /// <summary>Not asked (no call infrastructure published).</summary>
    NotChecked,
}

/// <summary>
/// The homeserver features calls depend on: delayed events (<c>org.matrix.msc4140</c>), room summary (spec v1.15 or
/// MSC3266's flag) and <c>state_after</c> (MSC4222), as <c>/_matrix/client/versions</c> advertises them, and the
/// federation route <c>/_matrix/federation/v1/openid/userinfo</c> the authorization service verifies users through.
/// </summary>
public sealed record RtcPrerequisites(bool DelayedEvents, bool RoomSummary, bool StateAfter, UserinfoOutcome OpenIdUserinfo)
{
    /// <summary>The federation URL asked for userinfo (without a token), its status and Matrix error code.</summary>
    public string? UserinfoUrl { get; init; }

    public int? UserinfoStatus { get; init; }

    public string? UserinfoErrcode { get; init; }
}
