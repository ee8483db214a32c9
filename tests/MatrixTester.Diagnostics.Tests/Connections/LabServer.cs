using System.Net;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Diagnostics.Tests.Connections;

/// <summary>
/// A healthy delegated homeserver in the lab, with knobs for breaking one thing at a time:
/// example.test's web server (443) delegates to matrix.example.test:443 and serves the client and support files;
/// matrix.example.test serves federation (version + signed keys) and the client API.
/// </summary>
internal sealed class LabServer(FederationLab lab)
{
    public string ServerName { get; init; } = "example.test";

    public string DelegatedHost { get; init; } = "matrix.example.test";

    public LabSigningKey Key { get; } = LabSigningKey.Create("ed25519:a_lab");

    /// <summary>The homeserver's certificate; default: a valid one for the delegated host.</summary>
    public Func<LabPki, LabCertificate>? Certificate { get; init; }

    /// <summary>Replaces the homeserver's key response body.</summary>
    public Func<LabServer, string>? KeyResponse { get; init; }

    /// <summary>Adjusts the homeserver's routes after the healthy ones are set (e.g. break /version).</summary>
    public Action<LabRoutes>? Homeserver { get; init; }

    /// <summary>Adjusts the server name's web server routes (well-known, client, support).</summary>
    public Action<LabRoutes>? WebServer { get; init; }

    public IPAddress WebAddress { get; private set; } = IPAddress.None;

    public IPAddress HomeserverAddress { get; private set; } = IPAddress.None;

    public LabHttpsHost? HomeserverHost { get; private set; }

    public async Task<LabServer> StartAsync()
    {
        WebAddress = FederationLab.NewAddress();
        HomeserverAddress = FederationLab.NewAddress();
        lab.Zone.A(ServerName, WebAddress.ToString()).A(DelegatedHost, HomeserverAddress.ToString());
        await lab.HttpsAsync(WebAddress, 443, lab.Pki.Issue(ServerName), routes =>
        {
            routes.Delegate($"{DelegatedHost}:443")
                .ClientWellKnown($"https://{DelegatedHost}")
                .Json("/.well-known/matrix/support", """{"contacts": [{"role": "m.role.admin", "matrix_id": "@admin:example.test"}]}""");
            WebServer?.Invoke(routes);
        });
        HomeserverHost = await lab.HttpsAsync(HomeserverAddress, 443, (Certificate ?? (pki => pki.Issue(DelegatedHost)))(lab.Pki), routes =>
        {
            routes.Homeserver(ServerName, Key, KeyResponse?.Invoke(this)).ClientApi();
            Homeserver?.Invoke(routes);
        });
        return this;
    }

    public string SignedKeys(DateTimeOffset validUntil, KeyResponseOptions? options = null, string? serverName = null) =>
        Key.KeyResponse(serverName ?? ServerName, validUntil, options);
}
