using MatrixTester.Lab.Keys;

namespace MatrixTester.Lab.Hosts;

/// <summary>Routes that make a lab HTTPS host answer like a homeserver's federation listener.</summary>
public static class LabHomeserver
{
    /// <summary>
    /// <c>/_matrix/federation/v1/version</c> and a correctly signed <c>/_matrix/key/v2/server</c> for
    /// <paramref name="serverName"/>, valid for a day unless <paramref name="keyResponse"/> supplies the body.
    /// </summary>
    public static LabRoutes Homeserver(this LabRoutes routes, string serverName, LabSigningKey key, string? keyResponse = null,
        string software = "Synapse", string version = "1.140.0")
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(key);
        var body = keyResponse ?? key.KeyResponse(serverName, DateTimeOffset.UtcNow.AddDays(1));
        return routes
            .Json("/_matrix/federation/v1/version", $$$"""{"server": {"name": "{{{software}}}", "version": "{{{version}}}"}}""")
            .Json("/_matrix/key/v2/server", body);
    }

    /// <summary>The client discovery files for a server name whose client API is at <paramref name="baseUrl"/>.</summary>
    public static LabRoutes ClientWellKnown(this LabRoutes routes, string baseUrl, bool cors = true)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var headers = cors ? new[] { ("Access-Control-Allow-Origin", "*") } : [];
        return routes.Json("/.well-known/matrix/client", $$$"""{"m.homeserver": {"base_url": "{{{baseUrl}}}"}}""", 200, "application/json", headers);
    }

    /// <summary><c>/_matrix/client/versions</c> as a homeserver's client API answers it, with two unstable features on and one off.</summary>
    public static LabRoutes ClientApi(this LabRoutes routes, bool cors = true)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var headers = cors ? new[] { ("Access-Control-Allow-Origin", "*") } : [];
        return routes.Json("/_matrix/client/versions", """{"versions": ["v1.1", "v1.11", "v1.12"], "unstable_features": {"org.matrix.simplified_msc3575": true, "org.matrix.msc3916.stable": true, "org.matrix.msc3881": false}}""", 200, "application/json", headers);
    }
}
