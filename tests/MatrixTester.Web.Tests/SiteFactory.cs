using MatrixTester.Lab;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The real site, configured only through its ordinary settings to diagnose against a <see cref="FederationLab"/>:
/// the lab's DNS server, its root CA, private addresses allowed, and a data directory of the test's choosing.
/// Abuse limits (rate limit, fair shares) are relaxed by default (every test client shares one address, and several
/// tests diagnose the same name on purpose); tests of those limits pass their own <paramref name="settings"/>, which win.
/// </summary>
public sealed class SiteFactory(FederationLab lab, string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public string DataDirectory => dataDirectory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Diagnosis:NameServers:0"] = lab.Dns.EndPoint.ToString(),
            ["Diagnosis:ExtraTrustedRoots"] = FederationLab.RootPemPath,
            ["Diagnosis:AllowPrivateNetworks"] = "true",
            // Generous: CI machines are shared and slow; a healthy lab server must never look broken because of load.
            ["Diagnosis:DnsTimeout"] = "00:00:05",
            ["Diagnosis:ConnectTimeout"] = "00:00:10",
            ["Diagnosis:RequestTimeout"] = "00:00:10",
            ["Diagnosis:OverallDeadline"] = "00:01:00",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Abuse:RateLimit:TokenLimit"] = "100000",
            ["Abuse:RateLimit:TokensPerPeriod"] = "100000",
            ["Abuse:ReuseWindow"] = "00:00:00",
            ["Abuse:RunAgainMinimumInterval"] = "00:00:00",
            // Every in-memory test client is one client ("unknown" address): only the tests of fair shares want them.
            ["Abuse:MaxRunningPerClient"] = "10000",
            ["Abuse:MaxQueuedPerClient"] = "100000",
            ["Abuse:QueueReservedForNewClients"] = "0",
            ["History:RateLimit:TokenLimit"] = "100000",
            ["History:RateLimit:TokensPerPeriod"] = "100000",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()));
    }
}
