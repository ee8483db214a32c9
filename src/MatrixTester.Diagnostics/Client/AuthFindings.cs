using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>Login readiness findings (OAuth 2.0 / OIDC, spec v1.15). None of them changes the federation verdict.</summary>
public static class AuthFindings
{
    private const string Docs = "login";

    public static readonly FindingDefinition IssuerMismatch = new("auth.issuer_mismatch", Severity.Error,
        "The OAuth 2.0 issuer does not match its own discovery document", Docs + "#issuer-mismatch",
        "Make the issuer the homeserver announces (Synapse: matrix_authentication_service.endpoint, or the issuer MAS reports as http.public_base) exactly equal to the issuer in <issuer>/.well-known/openid-configuration, trailing slash included.");

    public static readonly FindingDefinition Unreachable = new("auth.unreachable", Severity.Error,
        "The login service (OAuth 2.0 issuer) cannot be used by clients", Docs + "#unreachable",
        "Serve <issuer>/.well-known/openid-configuration and its jwks_uri over https:// with a valid certificate, status 200 and JSON; clients such as Element X cannot log in otherwise.");

    public static readonly FindingDefinition Timeout = new("auth.timeout", Severity.Warning,
        "The login check did not finish in time", Docs + "#slow",
        "Make the login metadata on the client API, the issuer's discovery document and its key set answer within a few seconds; clients that wait this long give up on the login.");
}
