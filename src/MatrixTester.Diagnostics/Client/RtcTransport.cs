using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Client;

/// <summary>Where a transport was found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RtcTransportSource>))]
public enum RtcTransportSource
{
    /// <summary>The homeserver's transports endpoint (MSC4143), read because it answered without a token.</summary>
    TransportsEndpoint,
    /// <summary><c>org.matrix.msc4143.rtc_foci</c> in <c>/.well-known/matrix/client</c> (older clients only).</summary>
    WellKnown,
}

/// <summary>
/// One published MatrixRTC transport. <see cref="ServiceUrl"/> is the authorization service (<c>livekit_service_url</c>,
/// types <c>livekit</c> and <c>livekit_multi_sfu</c>); <see cref="SfuUrl"/> the SFU itself (<c>url</c>, type <c>m.livekit</c>).
/// </summary>
public sealed record RtcTransport(string Type, string? ServiceUrl, string? SfuUrl, RtcTransportSource Source);

/// <summary>What an unauthenticated GET of a transports endpoint showed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransportsEndpointOutcome>))]
public enum TransportsEndpointOutcome
{
    /// <summary>200: the transports were read.</summary>
    Listed,
    /// <summary>401 M_MISSING_TOKEN: the endpoint exists and lists transports to signed-in users only (Synapse).</summary>
    NeedsToken,
    /// <summary>404, or 400 M_UNRECOGNIZED: the endpoint is not enabled.</summary>
    Off,
    /// <summary>Anything else: a transport failure, a server error, an answer that is not the endpoint's.</summary>
    Failed,
}

/// <summary>One transports endpoint probed without a token (the unstable MSC4143 path, or the proposed stable one).</summary>
public sealed record TransportsEndpointProbe(string Url, int? Status, string? Errcode, TransportsEndpointOutcome Outcome, string Detail);
