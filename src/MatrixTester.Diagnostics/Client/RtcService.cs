using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// What the four probes of a MatrixRTC authorization service (lk-jwt-service) say: <c>GET /healthz</c> → 200,
/// <c>GET /get_token</c> and <c>GET /sfu/get</c> → 405 (they take POST), and a CORS preflight of <c>/get_token</c>
/// answered 2xx with <c>Access-Control-Allow-Origin: *</c> exactly once.
/// </summary>
public static class RtcService
{
    public const string HealthPath = "/healthz";
    public const string TokenPath = "/get_token";
    public const string LegacyTokenPath = "/sfu/get";

    /// <summary>The origin the preflight claims: a web client's page on another host than the service (any such origin tests "*").</summary>
    public const string PreflightOrigin = "https://web-client.example";

    /// <summary>The probes' request targets under the service's URL path (a service often lives under a path, e.g. /livekit/jwt).</summary>
    public static string PathUnder(Uri service, string path) => service.AbsolutePath.TrimEnd('/') + path;

    /// <summary>A service URL the tester will not contact (not https://): the check that records why.</summary>
    public static (RtcServiceCheck Check, Finding Finding) NotContacted(string url, string why, string subject) =>
        (new RtcServiceCheck(url, false, null, null, null, null, TokenRoutes.NotChecked, null, null, CorsOutcome.NotChecked, why),
         RtcFindings.ServiceUnreachable.Create(Phrase.Of("rtc.service_unreachable.NotUsable", ("url", url)), null, subject, rawDetail: why));

    public static (RtcServiceCheck Check, Finding? Finding) Judge(string url, HttpExchange healthz, HttpExchange getToken, HttpExchange legacy, HttpExchange preflight, string subject)
    {
        ArgumentNullException.ThrowIfNull(healthz);
        ArgumentNullException.ThrowIfNull(getToken);
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(preflight);
        var tls = healthz.Failure == ExchangeFailure.CertificateRejected ? healthz.Error : null;
        var reachable = healthz.Failure == ExchangeFailure.None && healthz.Status == 200;
        var routes = getToken.Status == 405 ? TokenRoutes.Present
            : legacy.Status == 405 ? TokenRoutes.LegacyOnly
            : getToken.Failure != ExchangeFailure.None ? TokenRoutes.NotChecked
            : TokenRoutes.Missing;
        var cors = Cors.Read(preflight);
        var allowOrigin = preflight.Header("access-control-allow-origin");
        var preflightOk = preflight.Failure == ExchangeFailure.None && preflight.Status is >= 200 and < 300;
        Finding? finding = null;
        if (!reachable)
        {
            var why = healthz.Failure != ExchangeFailure.None ? healthz.Error ?? "The request failed."
                : $"GET {healthz.Url} answered {healthz.Status}, not 200; body starts: {healthz.BodyPreview()}";
            finding = RtcFindings.ServiceUnreachable.Create(Phrase.Of("rtc.service_unreachable.Health", ("url", url)), null, subject, rawDetail: why);
        }
        else if (routes == TokenRoutes.Missing)
        {
            finding = RtcFindings.ServiceUnreachable.Create(Phrase.Of("rtc.service_unreachable.NoTokenEndpoint", ("url", url)), null, subject, rawDetail:
                $"GET {getToken.Url} answered {getToken.Status} and GET {legacy.Url} answered {legacy.Status}; the service answers both with 405 (they take POST). The URL leads to something else, often a reverse proxy path that does not reach the service.");
        }
        else if (!preflightOk || cors != CorsOutcome.Ok)
        {
            finding = RtcFindings.ServiceCors.Create($"The call authorization service at {url} {CorsProblem(preflight, preflightOk, cors)}",
                $"A browser asks OPTIONS {preflight.Url} before it may POST a token request; it answered {Describe(preflight)} with Access-Control-Allow-Origin: {allowOrigin ?? "(none)"}. Element Call and Element Web then cannot join calls through this service.", subject);
        }
        var check = new RtcServiceCheck(url, reachable, healthz.Status, tls, getToken.Status, legacy.Status, routes, preflight.Status, allowOrigin,
            preflight.Failure == ExchangeFailure.None ? cors : CorsOutcome.NotChecked, finding?.Summary);
        return (check, finding);
    }

    private static string CorsProblem(HttpExchange preflight, bool preflightOk, CorsOutcome cors) => cors switch
    {
        _ when !preflightOk => "refuses the browser's CORS preflight",
        CorsOutcome.Duplicated => "sends Access-Control-Allow-Origin twice",
        CorsOutcome.SingleOrigin => $"allows only the origin {preflight.Header("access-control-allow-origin")}",
        _ => "sends no Access-Control-Allow-Origin",
    };

    private static string Describe(HttpExchange exchange) =>
        exchange.Failure != ExchangeFailure.None ? $"nothing ({exchange.Error})" : $"{exchange.Status}";
}
