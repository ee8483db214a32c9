using Microsoft.AspNetCore.Http;
using MatrixTester.Lab.Hosts;

namespace MatrixTester.Lab.Calls;

/// <summary>How the lab homeserver answers its MatrixRTC transports endpoint without a token.</summary>
public enum TransportsAnswer
{
    /// <summary>200 with the transports (servers that do not ask for a token).</summary>
    Listed,
    /// <summary>401 M_MISSING_TOKEN: Synapse 1.140+ with msc4143_enabled.</summary>
    NeedsToken,
    /// <summary>404 M_UNRECOGNIZED: Synapse without msc4143_enabled.</summary>
    NotFound,
    /// <summary>400 M_UNRECOGNIZED: other servers that do not know the endpoint.</summary>
    Unrecognized,
}

/// <summary>Faults of the lab's call authorization service (an lk-jwt-service stand-in for the readiness checks).</summary>
public enum RtcServiceFault
{
    None,
    /// <summary>A reverse proxy adds its own Access-Control-Allow-Origin next to the service's: browsers see two.</summary>
    DuplicatedCors,
    /// <summary>The preflight is answered 405 without CORS headers (a proxy that lets only POST through).</summary>
    PreflightRefused,
    /// <summary>/healthz answers 502 (the proxy has no upstream).</summary>
    HealthzDown,
}

/// <summary>Routes for the calls and login parts of a lab homeserver and the services it publishes, as documented by their projects.</summary>
public static class LabCallRoutes
{
    private const string Cors = "Access-Control-Allow-Origin";

    /// <summary><c>/_matrix/client/versions</c> with the unstable features given switched on (and CORS).</summary>
    public static LabRoutes ClientVersions(this LabRoutes routes, string[] versions, params string[] features)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var flags = string.Join(", ", features.Select(f => $"\"{f}\": true").Append("\"org.matrix.label_based_filtering\": false"));
        var list = string.Join(", ", versions.Select(v => $"\"{v}\""));
        return routes.Json("/_matrix/client/versions", $$$"""{"versions": [{{{list}}}], "unstable_features": {{{{flags}}}}}""", 200, "application/json", (Cors, "*"));
    }

    /// <summary>Both transports paths: the unstable one answers as <paramref name="answer"/> says, the proposed stable one 404 (no server has it yet).</summary>
    public static LabRoutes RtcTransports(this LabRoutes routes, TransportsAnswer answer, string transportsJson)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var unstable = "/_matrix/client/unstable/org.matrix.msc4143/rtc/transports";
        routes.Json("/_matrix/client/v1/rtc/transports", """{"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}""", 404, "application/json", (Cors, "*"));
        return answer switch
        {
            TransportsAnswer.Listed => routes.Json(unstable, $$"""{"rtc_transports": {{transportsJson}}}""", 200, "application/json", (Cors, "*")),
            TransportsAnswer.NeedsToken => routes.Json(unstable, """{"errcode": "M_MISSING_TOKEN", "error": "Missing access token"}""", 401, "application/json", (Cors, "*")),
            TransportsAnswer.NotFound => routes.Json(unstable, """{"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}""", 404, "application/json", (Cors, "*")),
            _ => routes.Json(unstable, """{"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}""", 400, "application/json", (Cors, "*")),
        };
    }

    /// <summary>The federation route the authorization service verifies users through: 401 M_MISSING_TOKEN without a token, like Synapse.</summary>
    public static LabRoutes OpenIdUserinfo(this LabRoutes routes) =>
        routes.Json("/_matrix/federation/v1/openid/userinfo", """{"errcode": "M_MISSING_TOKEN", "error": "Access Token required"}""", 401);

    /// <summary><c>/_matrix/client/v1/auth_metadata</c> naming <paramref name="issuer"/> (Synapse with MAS).</summary>
    /// <param name="incomplete">Leave out what clients require (registration_endpoint and the S256 challenge method).</param>
    public static LabRoutes AuthMetadata(this LabRoutes routes, string issuer, bool incomplete = false)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var body = Metadata(issuer, issuer);
        if (incomplete)
        {
            body = body.Replace("\"registration_endpoint\"", "\"x_registration\"", StringComparison.Ordinal).Replace("[\"S256\"]", "[\"plain\"]", StringComparison.Ordinal);
        }
        return routes.Json("/_matrix/client/v1/auth_metadata", body, 200, "application/json", (Cors, "*"));
    }

    /// <summary>An OIDC issuer (MAS stand-in) at the root of its host: discovery document and key set; <paramref name="documentIssuer"/> is what the document claims.</summary>
    public static LabRoutes OidcIssuer(this LabRoutes routes, string issuer, string documentIssuer)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes
            .Json("/.well-known/openid-configuration", Metadata(documentIssuer, issuer), 200, "application/json", (Cors, "*"))
            .Json("/oauth2/keys.json", """{"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "lab", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}""", 200, "application/json", (Cors, "*"));
    }

    /// <summary>
    /// An authorization service under <paramref name="prefix"/> (e.g. /livekit/jwt) as lk-jwt-service answers the
    /// readiness probes: GET/HEAD /healthz 200; /get_token and /sfu/get set CORS, answer OPTIONS 200 and other methods
    /// but POST 405; POST here is refused (the token check needs the real service).
    /// </summary>
    public static LabRoutes RtcService(this LabRoutes routes, string prefix, RtcServiceFault fault = RtcServiceFault.None)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.Map(prefix + "/healthz", context =>
        {
            context.Response.StatusCode = fault == RtcServiceFault.HealthzDown ? 502 : context.Request.Method is "GET" or "HEAD" ? 200 : 405;
            return Task.CompletedTask;
        });
        foreach (var route in new[] { "/get_token", "/sfu/get" })
        {
            routes.Map(prefix + route, context => TokenRoute(context, fault));
        }
        return routes;
    }

    private static Task TokenRoute(HttpContext context, RtcServiceFault fault)
    {
        if (fault == RtcServiceFault.PreflightRefused && context.Request.Method == "OPTIONS")
        {
            context.Response.StatusCode = 405;
            return Task.CompletedTask;
        }
        var headers = context.Response.Headers;
        headers.ContentType = "application/json";
        headers.Append(Cors, "*");
        if (fault == RtcServiceFault.DuplicatedCors)
        {
            headers.Append(Cors, "*");
        }
        headers["Access-Control-Allow-Methods"] = "POST";
        headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token";
        context.Response.StatusCode = context.Request.Method switch
        {
            "OPTIONS" => 200,
            "POST" => 400,
            _ => 405,
        };
        return context.Request.Method == "POST"
            ? context.Response.WriteAsync("""{"errcode": "M_NOT_JSON", "error": "Error reading request"}""")
            : Task.CompletedTask;
    }

    private static string Metadata(string issuer, string endpointsBase)
    {
        var root = endpointsBase.TrimEnd('/');
        return $$"""
            {"issuer": "{{issuer}}", "authorization_endpoint": "{{root}}/authorize", "token_endpoint": "{{root}}/oauth2/token",
             "registration_endpoint": "{{root}}/oauth2/registration", "revocation_endpoint": "{{root}}/oauth2/revoke", "jwks_uri": "{{root}}/oauth2/keys.json",
             "response_types_supported": ["code"], "grant_types_supported": ["authorization_code", "refresh_token"], "response_modes_supported": ["query", "fragment"], "code_challenge_methods_supported": ["S256"]}
            """;
    }
}
