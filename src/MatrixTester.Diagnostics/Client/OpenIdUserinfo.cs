using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// <c>GET /_matrix/federation/v1/openid/userinfo</c> (server-server API, "OpenID"), asked without a token on the
/// homeserver's federation address: the route the call authorization service verifies this server's users through.
/// Synapse answers 401 M_MISSING_TOKEN; servers that insist on the parameter first answer another Matrix error.
/// </summary>
public static class OpenIdUserinfo
{
    public const string Path = "/_matrix/federation/v1/openid/userinfo";

    public static (UserinfoOutcome Outcome, string? Errcode, string Detail) Classify(HttpExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Failure != ExchangeFailure.None)
        {
            return (UserinfoOutcome.Unknown, null, exchange.Error ?? "The request failed.");
        }
        var errcode = RtcDocuments.Errcode(exchange.Body);
        var answered = $"It answered {exchange.Status}{(errcode is null ? "" : $" {errcode}")}";
        return exchange.Status switch
        {
            _ when errcode == "M_UNRECOGNIZED" => (UserinfoOutcome.NotRouted, errcode, $"{answered}: the homeserver does not serve this endpoint."),
            401 => (UserinfoOutcome.Routed, errcode, $"{answered}, as the endpoint does without a token."),
            400 or 403 when errcode is not null => (UserinfoOutcome.Routed, errcode, $"{answered}, a Matrix error from the endpoint itself."),
            404 or 405 => (UserinfoOutcome.NotRouted, errcode, $"{answered}: the request does not reach the homeserver's endpoint; body starts: {exchange.BodyPreview()}"),
            _ => (UserinfoOutcome.Unknown, errcode, $"{answered}; body starts: {exchange.BodyPreview()}"),
        };
    }
}
