using MatrixTester.Lab;
using MatrixTester.Lab.Calls;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Web.Tests.Details;

/// <summary>
/// The lab servers the result pages are judged on: healthy (SRV, client API, support contacts), client-broken
/// (federation fine, the client base_url refuses connections), timed out (the well-known trickles past the time
/// limit), broken (an expired certificate), mixed (two addresses running different software versions), calls ready
/// (a call service published on the transports endpoint and in the client well-known, OAuth 2.0 login) and calls broken
/// (federation fine; the call service's CORS doubled, no delayed events, a ws://localhost SFU, the issuer mismatched).
/// </summary>
internal static class DetailScenarios
{
    public const string Healthy = "healthy.details.test";
    public const string ClientBroken = "clientless.details.test";
    public const string TimedOut = "slow.details.test";
    public const string Broken = "broken.details.test";
    public const string Mixed = "mixed.details.test";
    public const string CallsReady = "calls.details.test";
    public const string CallsBroken = "callsbroken.details.test";

    public static IReadOnlyList<string> All { get; } = [Healthy, ClientBroken, TimedOut, Broken, CallsReady, CallsBroken];

    public static async Task StartAsync(FederationLab lab)
    {
        await HealthyAsync(lab);
        await ClientBrokenAsync(lab);
        await TimedOutAsync(lab);
        await BrokenAsync(lab);
        await MixedAsync(lab);
        await new LabCallsServer(lab, CallsReady) { WellKnownFoci = true }.StartAsync();
        await new LabCallsServer(lab, CallsBroken)
        {
            ServiceFault = RtcServiceFault.DuplicatedCors,
            DelayedEvents = false,
            SfuUrl = "ws://localhost:7880",
            DocumentIssuer = $"https://elsewhere.{CallsBroken}/",
        }.StartAsync();
    }

    /// <summary>
    /// healthy → .well-known → hs.healthy (no port) → SRV _matrix-fed._tcp.hs.healthy → fed.healthy:8448, which
    /// serves federation with a certificate for hs.healthy and the client API; the support file names two contacts.
    /// </summary>
    private static async Task HealthyAsync(FederationLab lab)
    {
        var delegated = $"hs.{Healthy}";
        var target = $"fed.{Healthy}";
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        lab.Zone.A(Healthy, web.ToString()).A(target, hs.ToString()).A(delegated, hs.ToString())
            .Srv($"_matrix-fed._tcp.{delegated}", target, 8448, priority: 10, weight: 5);
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(Healthy), r => r.Delegate(delegated)
            .ClientWellKnown($"https://{delegated}:8448")
            .Json("/.well-known/matrix/support", $$"""
                {"contacts": [{"role": "m.role.admin", "matrix_id": "@admin:{{Healthy}}", "email_address": "admin@{{Healthy}}"},
                              {"role": "m.role.security", "email_address": "security@{{Healthy}}"}],
                 "support_page": "https://{{Healthy}}/support"}
                """));
        await lab.HttpsAsync(hs, 8448, lab.Pki.Issue(delegated), r => r.Homeserver(Healthy, LabSigningKey.Create()).ClientApi());
    }

    /// <summary>Federation works; the client well-known sends clients to chat.clientless, where nothing listens.</summary>
    private static async Task ClientBrokenAsync(FederationLab lab)
    {
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        lab.Zone.A(ClientBroken, web.ToString()).A($"hs.{ClientBroken}", hs.ToString()).A($"chat.{ClientBroken}", FederationLab.NewAddress().ToString());
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(ClientBroken), r => r.Delegate($"hs.{ClientBroken}:8448").ClientWellKnown($"https://chat.{ClientBroken}"));
        await lab.HttpsAsync(hs, 8448, lab.Pki.Issue($"hs.{ClientBroken}"), r => r.Homeserver(ClientBroken, LabSigningKey.Create()));
    }

    /// <summary>The server well-known answers one space at a time and never ends: the run stops at its time limit.</summary>
    private static async Task TimedOutAsync(FederationLab lab)
    {
        var web = FederationLab.NewAddress();
        lab.Zone.A(TimedOut, web.ToString());
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(TimedOut), r => r.Drip("/.well-known/matrix/server", TimeSpan.FromMilliseconds(500)));
    }

    /// <summary>Delegated to hs.broken:8448, whose certificate expired yesterday.</summary>
    private static async Task BrokenAsync(FederationLab lab)
    {
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        lab.Zone.A(Broken, web.ToString()).A($"hs.{Broken}", hs.ToString());
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(Broken), r => r.Delegate($"hs.{Broken}:8448"));
        await lab.HttpsAsync(hs, 8448, lab.Pki.IssueExpired($"hs.{Broken}"), r => r.Homeserver(Broken, LabSigningKey.Create()));
    }

    /// <summary>hs.mixed has two addresses behind one name: one runs Synapse 1.140.0, the other 1.139.2 (a forgotten node).</summary>
    private static async Task MixedAsync(FederationLab lab)
    {
        var web = FederationLab.NewAddress();
        var first = FederationLab.NewAddress();
        var second = FederationLab.NewAddress();
        lab.Zone.A(Mixed, web.ToString()).A($"hs.{Mixed}", first.ToString()).A($"hs.{Mixed}", second.ToString());
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(Mixed), r => r.Delegate($"hs.{Mixed}:8448"));
        var key = LabSigningKey.Create();
        await lab.HttpsAsync(first, 8448, lab.Pki.Issue($"hs.{Mixed}"), r => r.Homeserver(Mixed, key));
        await lab.HttpsAsync(second, 8448, lab.Pki.Issue($"hs.{Mixed}"), r => r.Homeserver(Mixed, key, version: "1.139.2"));
    }
}
