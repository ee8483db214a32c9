using MatrixTester.Lab.Hosts;
using Microsoft.AspNetCore.Http;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Lab.Calls;

/// <summary>
/// A homeserver set up for calls and next-generation login, with knobs to break one thing at a time. The server name's
/// web server delegates federation to matrix.{name}:443 and sends clients there; matrix.{name} serves federation (with
/// the OpenID userinfo route), the client API (versions with delayed events, the MSC4143 transports endpoint, OAuth 2.0
/// metadata); rtc.{name} is the call authorization service under /livekit/jwt; auth.{name} the OIDC issuer.
/// </summary>
public sealed class LabCallsServer(FederationLab lab, string serverName)
{
    public string ServerName => serverName;

    public string Homeserver => $"matrix.{serverName}";

    public string ServiceUrl => $"https://rtc.{serverName}/livekit/jwt";

    public string Issuer => $"https://auth.{serverName}/";

    public TransportsAnswer Transports { get; init; } = TransportsAnswer.Listed;

    /// <summary>Also list the transports in the client well-known's org.matrix.msc4143.rtc_foci (for older clients).</summary>
    public bool WellKnownFoci { get; init; }

    /// <summary>Publish an m.livekit transport with this SFU URL too (MSC4195's newest shape).</summary>
    public string? SfuUrl { get; init; }

    public RtcServiceFault ServiceFault { get; init; }

    public bool DelayedEvents { get; init; } = true;

    public bool UserinfoRouted { get; init; } = true;

    /// <summary>The homeserver announces the OIDC issuer (else classic login only).</summary>
    public bool Oidc { get; init; } = true;

    /// <summary>The homeserver's login metadata lacks what clients require.</summary>
    public bool IncompleteMetadata { get; init; }

    /// <summary>What the issuer's own discovery document claims (the mismatch fault); default: the issuer itself.</summary>
    public string? DocumentIssuer { get; init; }

    /// <summary>The client well-known sends Access-Control-Allow-Origin twice (a proxy adds one to the file server's).</summary>
    public bool DuplicatedClientCors { get; init; }

    /// <summary>No call infrastructure at all: no transports, no foci, no service (the endpoint answers as <see cref="Transports"/> says).</summary>
    public bool NoCalls { get; init; }

    /// <summary>Serve the issuer (false: its name resolves but nothing listens there).</summary>
    public bool IssuerServed { get; init; } = true;

    public LabHttpsHost? ServiceHost { get; private set; }

    /// <summary>The addresses of the server name's web server, the homeserver, the authorization service and the issuer.</summary>
    public (System.Net.IPAddress Web, System.Net.IPAddress Homeserver, System.Net.IPAddress Service, System.Net.IPAddress Issuer) Addresses { get; private set; }

    public async Task<LabCallsServer> StartAsync()
    {
        var (web, hs, rtc, auth) = (FederationLab.NewAddress(), FederationLab.NewAddress(), FederationLab.NewAddress(), FederationLab.NewAddress());
        Addresses = (web, hs, rtc, auth);
        lab.Zone.A(serverName, web.ToString()).A(Homeserver, hs.ToString()).A($"rtc.{serverName}", rtc.ToString()).A($"auth.{serverName}", auth.ToString());
        var transports = TransportsJson();
        var foci = WellKnownFoci && !NoCalls ? $", \"org.matrix.msc4143.rtc_foci\": {transports}" : "";
        (string, string)[] cors = DuplicatedClientCors ? [("Access-Control-Allow-Origin", "*"), ("access-control-allow-origin", "*")] : [("Access-Control-Allow-Origin", "*")];
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(serverName), r => r
            .Delegate($"{Homeserver}:443")
            .Map("/.well-known/matrix/client", context => ClientFile(context, $$"""{"m.homeserver": {"base_url": "https://{{Homeserver}}"}{{foci}}}""", cors))
            .Json("/.well-known/matrix/support", """{"contacts": [{"role": "m.role.admin", "matrix_id": "@admin:example.test"}]}""", 200, "application/json", ("Access-Control-Allow-Origin", "*")));
        await lab.HttpsAsync(hs, 443, lab.Pki.Issue(Homeserver), r =>
        {
            r.Homeserver(serverName, LabSigningKey.Create())
                .ClientVersions(["v1.11", "v1.12", "v1.15"], DelayedEvents ? ["org.matrix.msc4140", "org.matrix.msc4143", "org.matrix.msc4222"] : ["org.matrix.msc4143"])
                .RtcTransports(Transports, NoCalls ? "[]" : transports);
            if (UserinfoRouted)
            {
                r.OpenIdUserinfo();
            }
            if (Oidc)
            {
                r.AuthMetadata(Issuer, IncompleteMetadata);
            }
        });
        ServiceHost = await lab.HttpsAsync(rtc, 443, lab.Pki.Issue($"rtc.{serverName}"), r => r.RtcService("/livekit/jwt", ServiceFault));
        if (IssuerServed)
        {
            await lab.HttpsAsync(auth, 443, lab.Pki.Issue($"auth.{serverName}"), r => r.OidcIssuer(Issuer, DocumentIssuer ?? Issuer));
        }
        return this;
    }

    private string TransportsJson()
    {
        var list = new List<string> { $$"""{"type": "livekit", "livekit_service_url": "{{ServiceUrl}}"}""" };
        if (SfuUrl is not null)
        {
            list.Add($$"""{"type": "m.livekit", "url": "{{SfuUrl}}"}""");
        }
        return $"[{string.Join(", ", list)}]";
    }

    private static Task ClientFile(HttpContext context, string body, (string Name, string Value)[] headers)
    {
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers.Append(name, value);
        }
        return context.Response.WriteAsync(body);
    }
}
