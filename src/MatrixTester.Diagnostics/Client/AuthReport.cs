using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Client;

/// <summary>How clients log in. Its own verdict, never part of federation's.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuthStatus>))]
public enum AuthStatus
{
    /// <summary>Next-generation auth (OAuth 2.0 / OIDC, e.g. MAS): the server announces an issuer and it checks out.</summary>
    Oidc,
    /// <summary>The classic login API (password, SSO): the server announces no OAuth 2.0 issuer. Normal, not an error.</summary>
    Legacy,
    /// <summary>The server announces OAuth 2.0 login but clients cannot complete it (findings say why).</summary>
    Broken,
}

/// <summary>What one login check looked at.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuthCheckKind>))]
public enum AuthCheckKind
{
    /// <summary><c>GET /_matrix/client/v1/auth_metadata</c> (or the unstable MSC2965 paths) on the client API.</summary>
    ServerMetadata,
    /// <summary>The issuer's <c>/.well-known/openid-configuration</c> over valid TLS.</summary>
    IssuerDiscovery,
    /// <summary>The issuer the discovery document names equals the one the homeserver announced, exactly.</summary>
    IssuerMatch,
    /// <summary><c>jwks_uri</c> answers a key set.</summary>
    KeySet,
    /// <summary>The documents browser clients read carry <c>Access-Control-Allow-Origin</c>.</summary>
    BrowserAccess,
}

/// <summary>One thing the login check verified, where, and what it saw (English, for the page and the CLI).</summary>
public sealed record AuthCheck(AuthCheckKind Kind, string Url, bool Passed, string Detail);

/// <summary>Login readiness: which login the server offers, its OAuth 2.0 issuer, and what was checked about it.</summary>
public sealed record AuthReport(AuthStatus Status, string? Issuer, IReadOnlyList<AuthCheck> Checks)
{
    /// <summary>The client API URL that answered with the issuer (stable or unstable path); null for classic login.</summary>
    public string? MetadataUrl { get; init; }

    /// <summary>Endpoints the metadata names (capped), for the technical details.</summary>
    public string? AuthorizationEndpoint { get; init; }

    public string? TokenEndpoint { get; init; }

    public string? JwksUri { get; init; }

    /// <summary>One line for the page and the CLI.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Every request the login check made, in order.</summary>
    public IReadOnlyList<HttpExchange> Requests { get; init; } = [];

    /// <summary>The findings of the login check (they are also in the report's findings list).</summary>
    [JsonIgnore]
    public IReadOnlyList<Findings.Finding> Findings { get; init; } = [];
}
