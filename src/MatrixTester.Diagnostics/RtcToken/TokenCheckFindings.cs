using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.RtcToken;

/// <summary>
/// Findings of the end-to-end call token check: the tester, as the homeserver of a probe user, asks the target's
/// MatrixRTC authorization service for a call token, and checks that the SFU accepts it. They count for the calls
/// verdict (docs/calls.md, "The token check"). An SFU URL clients cannot reach is the readiness check's
/// <see cref="Client.RtcFindings.SfuUrlNotPublic"/>, found here in the service's answer.
/// </summary>
public static class TokenCheckFindings
{
    private const string Docs = "calls";

    public static readonly FindingDefinition ServiceCannotVerify = new("rtc.service_cannot_verify", Severity.Error,
        "Your call authorization service cannot verify users of other servers", Docs + "#service-cannot-verify",
        "From the authorization service's own host or container, check that it can resolve other servers' names (its DNS resolver), that outbound HTTPS to port 8448 and 443 is allowed, and that its CA bundle is present (slim container images often lack ca-certificates).");

    public static readonly FindingDefinition ServiceError = new("rtc.service_error", Severity.Error,
        "Your call authorization service did not give our test user a call token", Docs + "#service-error",
        "Read the service's answer quoted in the report and its own log: a 5xx usually means it cannot reach its SFU (LIVEKIT_URL) or is misconfigured; a 400 that it does not understand the request.");

    public static readonly FindingDefinition TokenInvalid = new("rtc.token_invalid", Severity.Error,
        "Your call authorization service answered without a usable call token", Docs + "#token-invalid",
        "The answer must be JSON {\"url\": \"wss://…\", \"jwt\": \"…\"} with a LiveKit access token for the room and user asked for. Check that the URL reaches lk-jwt-service itself and not another application or an error page.");

    public static readonly FindingDefinition SfuKeyMismatch = new("rtc.sfu_key_mismatch", Severity.Error,
        "Your SFU refuses the call tokens your authorization service makes", Docs + "#sfu-key-mismatch",
        "Give lk-jwt-service (LIVEKIT_KEY and LIVEKIT_SECRET, or LIVEKIT_KEY_FILE) exactly the API key and secret in the SFU's keys: section of its LiveKit configuration, then restart both.");

    public static readonly FindingDefinition SfuUnreachable = new("rtc.sfu_unreachable", Severity.Error,
        "The SFU your call authorization service names cannot be reached", Docs + "#sfu-unreachable",
        "Make the SFU's signalling port reachable over HTTPS/WSS with a valid certificate for its name (usually through the reverse proxy on 443, or LiveKit's own TLS), and open it in the firewall.");
}
