using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// Calls (MatrixRTC) readiness findings: what clients need to find and use the call infrastructure (MSC4143 transports,
/// the LiveKit authorization service, the SFU URL and the homeserver features calls depend on). None of them changes
/// the federation verdict.
/// </summary>
public static class RtcFindings
{
    private const string Docs = "calls";

    public static readonly FindingDefinition NotOffered = new("rtc.not_offered", Severity.Info,
        "This server publishes no call infrastructure (MatrixRTC)", Docs + "#not-offered",
        "Optional: to offer calls in Element X and Element Web, run a LiveKit SFU and its authorization service (lk-jwt-service) and publish it in the homeserver's transports (Synapse: matrix_rtc.transports with msc4143_enabled).");

    public static readonly FindingDefinition LegacyFociOnly = new("rtc.legacy_foci_only", Severity.Warning,
        "Calls are published only in the client well-known, which current Element Call no longer reads", Docs + "#legacy-foci-only",
        "Publish the same transports from the homeserver: Synapse 1.140 or later with experimental_features.msc4143_enabled: true and matrix_rtc.transports listing your livekit_service_url. Keep org.matrix.msc4143.rtc_foci in /.well-known/matrix/client for older clients.");

    public static readonly FindingDefinition ServiceUnreachable = new("rtc.service_unreachable", Severity.Error,
        "The call authorization service does not answer as it should", Docs + "#service-unreachable",
        "Make livekit_service_url an https:// URL with a valid certificate where lk-jwt-service answers: GET <url>/healthz must return 200 and GET <url>/get_token 405 (it takes POST). Check the reverse proxy's path for the service (a missing or extra path prefix is the usual cause).");

    public static readonly FindingDefinition ServiceCors = new("rtc.service_cors", Severity.Error,
        "The call authorization service's CORS answer blocks browsers", Docs + "#service-cors",
        "Let the service send its own Access-Control-Allow-Origin: * and answer OPTIONS preflights; remove any add_header Access-Control-Allow-Origin (or similar) for this location in the reverse proxy, so the header appears exactly once.");

    /// <summary>
    /// An SFU URL clients cannot use from the internet, whether a transport names it (m.livekit) or the authorization
    /// service hands it out with a token (the token check): the one definition of this id.
    /// </summary>
    public static readonly FindingDefinition SfuUrlNotPublic = new("rtc.sfu_url_not_public", Severity.Error,
        "The SFU URL is not a public wss:// address", Docs + "#sfu-url-not-public",
        "Give the SFU a public name with a certificate and set its public wss:// address, e.g. wss://sfu.example.org, where clients find it: lk-jwt-service's LIVEKIT_URL, and the url of an m.livekit transport. ws://localhost:7880 is the LiveKit default of a service never configured for the public, reachable only from the server itself.");

    public static readonly FindingDefinition DelayedEventsMissing = new("rtc.delayed_events_missing", Severity.Warning,
        "Delayed events are not enabled on the homeserver", Docs + "#delayed-events",
        "Enable delayed events (MSC4140): in Synapse set max_event_delay_duration (e.g. 24h). Without them, a call member who loses the connection stays in the call until others notice.");

    public static readonly FindingDefinition Timeout = new("rtc.timeout", Severity.Warning,
        "The calls check did not finish in time", Docs + "#slow",
        "Make the client API's transports endpoint and each published authorization service answer within a few seconds; clients that wait this long for them give up on the call.");

    public static readonly FindingDefinition UserinfoNotRouted = new("rtc.userinfo_not_routed", Severity.Error,
        "The authorization service cannot verify this server's users: the OpenID userinfo endpoint is not routed", Docs + "#userinfo",
        "Route /_matrix/federation/v1/openid/userinfo to the homeserver on its federation address (in Synapse it belongs to the federation and openid listener resources); reverse proxies that forward only some /_matrix/federation/ paths must include it.");
}
