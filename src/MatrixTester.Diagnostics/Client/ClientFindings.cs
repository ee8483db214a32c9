using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>Client and support discovery findings. None of them changes the federation verdict.</summary>
public static class ClientFindings
{
    public static readonly FindingDefinition NotFound = new("client.not_found", Severity.Info, "No /.well-known/matrix/client", "client-discovery#client-well-known",
        "Optional: serve {\"m.homeserver\": {\"base_url\": \"https://matrix.example.org\"}} so users can log in with just their Matrix ID.");

    public static readonly FindingDefinition Unreachable = new("client.unreachable", Severity.Info, "/.well-known/matrix/client could not be fetched", "client-discovery#client-well-known",
        "Optional: run an HTTPS server with a valid certificate on the server name to serve the client discovery file.");

    public static readonly FindingDefinition Invalid = new("client.invalid", Severity.Warning, "/.well-known/matrix/client is not usable", "client-discovery#client-well-known",
        "Serve a JSON object with m.homeserver.base_url, status 200. Clients treat anything else as failed discovery and ask the user for a server.");

    public static readonly FindingDefinition ContentType = new("client.content_type", Severity.Warning, "/.well-known/matrix/client is not served as application/json", "client-discovery#client-well-known",
        "Add Content-Type: application/json for this path.");

    public static readonly FindingDefinition Timeout = new("client.timeout", Severity.Warning, "Client discovery did not finish in time", "client-discovery#slow",
        "Make /.well-known/matrix/client, the client API at base_url and the support file answer within a few seconds; clients give up on slow discovery and ask the user for the homeserver URL.");

    public static readonly FindingDefinition CorsMissing = new("client.cors_missing", Severity.Warning, "No Access-Control-Allow-Origin header", "client-discovery#cors",
        "Add 'Access-Control-Allow-Origin: *' so web clients (Element Web and others) can read the file and the client API.");

    public static readonly FindingDefinition CorsDuplicated = new("client.cors_duplicated", Severity.Warning, "Access-Control-Allow-Origin is sent twice", "client-discovery#cors",
        "Send 'Access-Control-Allow-Origin: *' exactly once: when both the homeserver (or a file server) and the reverse proxy add it, browsers see two values and block web clients. Remove one of them.");

    public static readonly FindingDefinition BaseUrlInvalid = new("client.base_url_invalid", Severity.Error, "m.homeserver.base_url is not a usable URL", "client-discovery#base-url",
        "Set base_url to the https:// URL clients should use, e.g. https://matrix.example.org (no path beyond an optional trailing slash).");

    public static readonly FindingDefinition BaseUrlUnreachable = new("client.base_url_unreachable", Severity.Error, "The client API at base_url does not answer", "client-discovery#base-url",
        "Make <base_url>/_matrix/client/versions answer with the homeserver's JSON; clients refuse to log in otherwise.");

    public static readonly FindingDefinition IdentityServerInvalid = new("client.identity_server_invalid", Severity.Warning, "m.identity_server has no base_url", "client-discovery#client-well-known",
        "Either remove m.identity_server or give it a base_url.");

    public static readonly FindingDefinition SupportNotFound = new("support.not_found", Severity.Info, "No /.well-known/matrix/support", "client-discovery#support",
        "Optional: publish admin and security contacts (Matrix 1.10) so other admins can reach you when federation breaks.");

    // The support file is optional (MSC1929, Matrix 1.10): nothing a peer or a client does depends on it, so a file
    // that is missing, unreachable or malformed is a note with a suggestion, never a problem to fix.
    public static readonly FindingDefinition SupportUnreachable = new("support.unreachable", Severity.Info, "/.well-known/matrix/support could not be read", "client-discovery#support",
        "Optional: if you want to publish contacts, serve the file with status 200 (a 404 is fine when you do not).");

    public static readonly FindingDefinition SupportInvalid = new("support.invalid", Severity.Info, "/.well-known/matrix/support is not valid", "client-discovery#support",
        "Optional: serve {\"contacts\": [{\"role\": \"m.role.admin\", \"matrix_id\": \"@admin:example.org\"}]} and/or a support_page URL, or remove the file.");
}
