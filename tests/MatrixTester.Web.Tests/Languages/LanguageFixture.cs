using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Web.Tests.Languages;

/// <summary>
/// The browser fixture with the pseudo-locale offered (<c>Site:PseudoLocale</c>), and a broken lab server: its
/// delegated homeserver serves an expired certificate on IPv4 and nothing listens on its IPv6 address.
/// </summary>
public sealed class LanguageFixture : BrowserFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Site:PseudoLocale"] = "true",
        // A result asked for again within a minute is shared: the reuse notice is one of the texts checked.
        ["Abuse:ReuseWindow"] = "00:01:00",
    };

    private static int _servers;

    public async Task<string> BrokenServerAsync()
    {
        var lab = Site.Lab;
        var name = $"kaputt{Interlocked.Increment(ref _servers)}.example.test";
        var port = FederationLab.FreeIPv6Port();
        var web = FederationLab.NewAddress();
        lab.Zone.A(name, web.ToString());
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(name), r => r.Delegate($"hs.{name}:{port}"));
        var hs = FederationLab.NewAddress();
        lab.Zone.A($"hs.{name}", hs.ToString()).Aaaa($"hs.{name}", "::1");
        await lab.HttpsAsync(hs, port, lab.Pki.IssueExpired($"hs.{name}"), r => r.Homeserver(name, LabSigningKey.Create()));
        return name;
    }
}
