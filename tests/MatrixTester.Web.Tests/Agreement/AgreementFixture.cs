using MatrixTester.Lab;
using MatrixTester.Lab.Calls;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Web.Tests.Agreement;

/// <summary>
/// One lab and one site for the surface agreement table, with a lab server per row: each is a healthy delegated
/// homeserver (.well-known → hs.name:8448, client well-known, client API, a support file) with one thing changed.
/// The site reuses a result for ten minutes, so the page, its permalink, the probe, the history and the badge all
/// describe one and the same run; the time limit is short (<see cref="Deadline"/>) so the slow row costs little, and
/// a request may take longer than it, so only the time limit can stop that row.
/// </summary>
public sealed class AgreementFixture : IAsyncLifetime
{
    /// <summary>Seconds; under the command line's request timeout (10 s), so the slow row meets the time limit there too.</summary>
    public const int Deadline = 8;

    public const string Healthy = "healthy.agree.test";
    public const string ClientApiRefused = "clientapi.agree.test";
    public const string NoSupportFile = "nosupport.agree.test";
    public const string PastTimeLimit = "slow.agree.test";
    public const string Invalid = "https://agree.test";
    public const string ExpiredCertificate = "badcert.agree.test";

    /// <summary>Everything works but the call authorization service, whose health check answers 502.</summary>
    public const string CallsBroken = "calls.agree.test";

    /// <summary>Everything works but login: the issuer's discovery document names another issuer.</summary>
    public const string LoginBroken = "login.agree.test";

    public FederationLab Lab { get; private set; } = null!;

    public SiteFactory Site { get; private set; } = null!;

    /// <summary>Delegated to hs.split.agree.test, whose IPv4 address works and whose IPv6 address (::1) has nothing listening.</summary>
    public const string SplitFamily = "split.agree.test";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "matrixtester-agreement-" + Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        Lab = await FederationLab.StartAsync();
        await ServerAsync(Healthy);
        await ServerAsync(ClientApiRefused, web: r => r.ClientWellKnown($"https://hs.{ClientApiRefused}:1"));
        await ServerAsync(NoSupportFile, web: r => r.Json("/.well-known/matrix/support", """{"errcode": "M_NOT_FOUND"}""", status: 404));
        await ServerAsync(PastTimeLimit, web: r => r
            .Drip("/.well-known/matrix/server", TimeSpan.FromMilliseconds(200))
            .Drip("/.well-known/matrix/client", TimeSpan.FromMilliseconds(200)));
        await ServerAsync(ExpiredCertificate, expired: true);
        await SplitFamilyAsync();
        await new LabCallsServer(Lab, CallsBroken) { ServiceFault = RtcServiceFault.HealthzDown }.StartAsync();
        await new LabCallsServer(Lab, LoginBroken) { DocumentIssuer = $"https://elsewhere.{LoginBroken}/" }.StartAsync();
        Site = new SiteFactory(Lab, _data, new Dictionary<string, string?>
        {
            ["Diagnosis:OverallDeadline"] = $"00:00:{Deadline}",
            ["Diagnosis:RequestTimeout"] = "00:01:00",
            ["Abuse:ReuseWindow"] = "00:10:00",
        });
    }

    private async Task ServerAsync(string name, Action<LabRoutes>? web = null, bool expired = false)
    {
        var webAddress = FederationLab.NewAddress();
        var hsAddress = FederationLab.NewAddress();
        Lab.Zone.A(name, webAddress.ToString()).A($"hs.{name}", hsAddress.ToString());
        await Lab.HttpsAsync(webAddress, 443, Lab.Pki.Issue(name), r =>
        {
            r.Delegate($"hs.{name}:8448").ClientWellKnown($"https://hs.{name}:8448")
                .Json("/.well-known/matrix/support", $$"""{"contacts": [{"role": "m.role.admin", "matrix_id": "@admin:{{name}}"}]}""");
            web?.Invoke(r);
        });
        var certificate = expired ? Lab.Pki.IssueExpired($"hs.{name}") : Lab.Pki.Issue($"hs.{name}");
        await Lab.HttpsAsync(hsAddress, 8448, certificate, r => r.Homeserver(name, LabSigningKey.Create()).ClientApi());
    }

    private async Task SplitFamilyAsync()
    {
        const string name = SplitFamily;
        var port = FederationLab.FreeIPv6Port();
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        // Clients use an IPv4-only name for the same host, so only federation meets the broken IPv6 address.
        Lab.Zone.A(name, web.ToString()).A($"hs.{name}", hs.ToString()).Aaaa($"hs.{name}", "::1").A($"client.{name}", hs.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue(name), r => r.Delegate($"hs.{name}:{port}").ClientWellKnown($"https://client.{name}:{port}")
            .Json("/.well-known/matrix/support", $$"""{"contacts": [{"role": "m.role.admin", "matrix_id": "@admin:{{name}}"}]}"""));
        await Lab.HttpsAsync(hs, port, Lab.Pki.Issue($"hs.{name}", $"client.{name}"), r => r.Homeserver(name, LabSigningKey.Create()).ClientApi());
    }

    /// <summary>The command line for the CLI against this lab, with the site's time limit.</summary>
    public string[] CliArgs(string serverName) =>
        ["check", serverName, "--name-server", Lab.Dns.EndPoint.ToString(), "--trust-roots", FederationLab.RootPemPath, "--allow-private",
         "--deadline", Deadline.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-color"];

    public async ValueTask DisposeAsync()
    {
        await Site.DisposeAsync();
        await Lab.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL file for a moment; a temp folder left behind is harmless.
        }
    }
}
