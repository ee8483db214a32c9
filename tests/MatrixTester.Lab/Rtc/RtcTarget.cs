using MatrixTester.Lab.Calls;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Lab.Rtc;

/// <summary>
/// A homeserver in the lab ready for calls but for what the authorization services do: it publishes them on its
/// transports endpoint and, for older clients, in its client well-known (org.matrix.msc4143.rtc_foci), switches on
/// delayed events and routes the OpenID userinfo endpoint.
/// </summary>
public static class RtcTarget
{
    public const string Name = "calls.lab.test";

    /// <summary>Federation on 8448 (keys, version); the client files and client API on 443, publishing <paramref name="serviceUrls"/>.</summary>
    public static async Task StartAsync(FederationLab lab, params string[] serviceUrls)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(serviceUrls);
        var address = FederationLab.NewAddress();
        lab.Zone.A(Name, address.ToString());
        var certificate = lab.Pki.Issue(Name);
        await lab.HttpsAsync(address, 8448, certificate, routes => routes.Homeserver(Name, LabSigningKey.Create("ed25519:a1")).OpenIdUserinfo());
        var foci = string.Join(", ", serviceUrls.Select(u => $$"""{"type": "livekit", "livekit_service_url": "{{u}}"}"""));
        await lab.HttpsAsync(address, 443, certificate, routes => routes
            .Json("/.well-known/matrix/client", $$"""{"m.homeserver": {"base_url": "https://{{Name}}"}, "org.matrix.msc4143.rtc_foci": [{{foci}}]}""",
                200, "application/json", [("Access-Control-Allow-Origin", "*")])
            .Json("/.well-known/matrix/support", "", 404, "text/plain")
            .ClientVersions(["v1.12", "v1.15"], "org.matrix.msc4140", "org.matrix.msc4143", "org.matrix.msc4222")
            .RtcTransports(TransportsAnswer.Listed, $"[{foci}]"));
    }
}
