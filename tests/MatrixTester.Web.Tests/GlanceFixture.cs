using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The browser fixture with the production time limit (30 s) and room for 16 addresses per host, plus the lab
/// servers the result pictures are judged on: healthy, broken on 14 of 16 addresses, and one that never answers.
/// </summary>
public sealed class GlanceFixture : BrowserFixture
{
    public const string Sixteen = "sixteen.example.test";
    public const string Silent = "silent.example.test";

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Diagnosis:OverallDeadline"] = "00:00:30",
        ["Diagnosis:RequestTimeout"] = "00:01:00",
        ["Diagnosis:MaxAddressesPerHost"] = "16",
    };

    private Task<string>? _silentPermalink;

    /// <summary>hs.sixteen has 16 IPv4 addresses; two serve federation, nothing listens on the other 14.</summary>
    public async Task SixteenAddressesAsync()
    {
        var lab = Site.Lab;
        var web = FederationLab.NewAddress();
        lab.Zone.A(Sixteen, web.ToString());
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(Sixteen), r => r.Delegate($"hs.{Sixteen}:8448"));
        var key = LabSigningKey.Create();
        for (var i = 0; i < 16; i++)
        {
            var address = FederationLab.NewAddress();
            lab.Zone.A($"hs.{Sixteen}", address.ToString());
            if (i < 2)
            {
                await lab.HttpsAsync(address, 8448, lab.Pki.Issue($"hs.{Sixteen}"), r => r.Homeserver(Sixteen, key));
            }
        }
    }

    /// <summary>
    /// A homeserver that completes TLS and then never answers: the diagnosis runs into its 30 s limit. Run once per
    /// fixture (it takes the full 30 s); the permalink of that run is shared by the tests that need it.
    /// </summary>
    public Task<string> SilentRunPermalinkAsync() => _silentPermalink ??= RunSilentAsync();

    private async Task<string> RunSilentAsync()
    {
        var lab = Site.Lab;
        var web = FederationLab.NewAddress();
        lab.Zone.A(Silent, web.ToString());
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(Silent), r => r.Delegate($"hs.{Silent}:8448"));
        var hs = FederationLab.NewAddress();
        lab.Zone.A($"hs.{Silent}", hs.ToString());
        await lab.HttpsAsync(hs, 8448, lab.Pki.Issue($"hs.{Silent}"), r => r
            .Map("/_matrix/key/v2/server", context => Task.Delay(TimeSpan.FromMinutes(2), context.RequestAborted))
            .Map("/_matrix/federation/v1/version", context => Task.Delay(TimeSpan.FromMinutes(2), context.RequestAborted)));
        var page = await NewPageAsync(new() { JavaScriptEnabled = false });
        await page.GotoAsync($"/?server_name={Silent}", new() { Timeout = 90_000 });
        var href = await page.Locator("#report a.permalink").GetAttributeAsync("href");
        await page.Context.CloseAsync();
        return href ?? throw new InvalidOperationException("no permalink");
    }
}
