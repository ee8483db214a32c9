using MatrixTester.Lab;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The real site, configured only through its ordinary settings to diagnose against a <see cref="FederationLab"/>:
/// the lab's DNS server, its root CA, private addresses allowed, and a data directory of the test's choosing.
/// </summary>
public sealed class SiteFactory(FederationLab lab, string dataDirectory) : WebApplicationFactory<Program>
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
            ["Diagnosis:DnsTimeout"] = "00:00:02",
            ["Diagnosis:ConnectTimeout"] = "00:00:03",
            ["Diagnosis:RequestTimeout"] = "00:00:05",
            ["Diagnosis:OverallDeadline"] = "00:00:20",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }));
    }
}
