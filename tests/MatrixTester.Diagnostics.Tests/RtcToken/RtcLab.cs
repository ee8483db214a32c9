using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.RtcToken;

/// <summary>A homeserver in the lab that publishes a call authorization service in its client well-known (org.matrix.msc4143.rtc_foci).</summary>
internal static class RtcLab
{
    public const string TargetName = "calls.lab.test";

    /// <summary>Federation on 8448 (keys, version); the client files and client API on 443, publishing <paramref name="serviceUrls"/>.</summary>
    public static async Task StartTargetAsync(FederationLab lab, params string[] serviceUrls)
    {
        var address = FederationLab.NewAddress();
        lab.Zone.A(TargetName, address.ToString());
        var certificate = lab.Pki.Issue(TargetName);
        await lab.HttpsAsync(address, 8448, certificate, routes => routes.Homeserver(TargetName, LabSigningKey.Create("ed25519:a1")));
        var foci = string.Join(", ", serviceUrls.Select(u => $$"""{"type": "livekit", "livekit_service_url": "{{u}}"}"""));
        await lab.HttpsAsync(address, 443, certificate, routes => routes
            .Json("/.well-known/matrix/client", $$"""{"m.homeserver": {"base_url": "https://{{TargetName}}"}, "org.matrix.msc4143.rtc_foci": [{{foci}}]}""",
                200, "application/json", [("Access-Control-Allow-Origin", "*")])
            .Json("/.well-known/matrix/support", "", 404, "text/plain")
            .ClientApi());
    }
}
