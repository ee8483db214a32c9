using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Client;

/// <summary>How the token routes of an authorization service answered a GET (they take POST only: 405 means they exist).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TokenRoutes>))]
public enum TokenRoutes
{
    /// <summary><c>/get_token</c> answers 405 to GET (current services; <c>/sfu/get</c> may be there too).</summary>
    Present,
    /// <summary>Only the legacy <c>/sfu/get</c> answers 405: an older service that current clients cannot use.</summary>
    LegacyOnly,
    /// <summary>Neither route answers 405: the URL does not lead to an authorization service.</summary>
    Missing,
    NotChecked,
}

/// <summary>
/// The checks of one authorization service (lk-jwt-service or compatible) at a published <c>livekit_service_url</c>:
/// <c>GET /healthz</c> over TLS validated as a browser does, GET of the token routes (405 expected) and a CORS preflight.
/// </summary>
/// <param name="Reachable">GET /healthz answered 200 over a valid certificate.</param>
/// <param name="Problem">Why the service is not usable, in plain words; null when it is.</param>
public sealed record RtcServiceCheck(
    string Url,
    bool Reachable,
    int? HealthzStatus,
    string? TlsProblem,
    int? GetTokenStatus,
    int? LegacyTokenStatus,
    TokenRoutes TokenRoutes,
    int? PreflightStatus,
    string? AllowOrigin,
    CorsOutcome Cors,
    string? Problem);
