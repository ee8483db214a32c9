using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// The homeserver's MatrixRTC transports endpoint, asked without an access token: MSC4143's unstable path (Synapse 1.140
/// and later with msc4143_enabled, which requires a token) and the stable path MSC4519 proposes.
/// </summary>
public static class TransportsEndpoint
{
    public const string UnstablePath = "/_matrix/client/unstable/org.matrix.msc4143/rtc/transports";

    public const string StablePath = "/_matrix/client/v1/rtc/transports";

    /// <summary>What an unauthenticated answer says, and the transports it lists when it could be read.</summary>
    public static (TransportsEndpointProbe Probe, IReadOnlyList<RtcTransport> Transports) Classify(HttpExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Failure != ExchangeFailure.None)
        {
            return (new(exchange.Url, null, null, TransportsEndpointOutcome.Failed, exchange.Error ?? "The request failed."), []);
        }
        var errcode = RtcDocuments.Errcode(exchange.Body);
        TransportsEndpointProbe Probe(TransportsEndpointOutcome outcome, string detail) => new(exchange.Url, exchange.Status, errcode, outcome, detail);
        switch (exchange.Status)
        {
            case 200 when RtcDocuments.ParseTransportsAnswer(exchange.Body) is { } transports:
                return (Probe(TransportsEndpointOutcome.Listed, transports.Count == 0
                    ? "It answered without a token and lists no transports."
                    : $"It answered without a token and lists {transports.Count} transport{(transports.Count == 1 ? "" : "s")}."), transports);
            case 200:
                return (Probe(TransportsEndpointOutcome.Failed, $"It answered 200, but not with an rtc_transports list; body starts: {exchange.BodyPreview()}"), []);
            case 401 when errcode is "M_MISSING_TOKEN" or "M_UNKNOWN_TOKEN":
                return (Probe(TransportsEndpointOutcome.NeedsToken, $"It answered 401 {errcode}: the endpoint exists and lists transports to signed-in users."), []);
            case 404:
            case 400 when errcode == "M_UNRECOGNIZED":
                return (Probe(TransportsEndpointOutcome.Off, $"It answered {exchange.Status}{(errcode is null ? "" : $" {errcode}")}: the endpoint is not enabled."), []);
            default:
                return (Probe(TransportsEndpointOutcome.Failed, $"It answered {exchange.Status}{(errcode is null ? "" : $" {errcode}")}; body starts: {exchange.BodyPreview()}"), []);
        }
    }
}
