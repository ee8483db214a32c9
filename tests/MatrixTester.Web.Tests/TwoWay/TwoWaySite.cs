using System.Net;
using System.Net.Security;
using MatrixTester.Lab;
using MatrixTester.Lab.Peer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.TwoWay;

/// <summary>
/// The real site with a Matrix identity (<c>Federation:ServerName</c>) on real Kestrel: plain HTTP on a loopback port
/// for the tests' requests, and the federation listener over TLS on its lab name's address, port 8448, where the lab
/// peer (the target) resolves it through the lab DNS and fetches our keys.
/// </summary>
internal sealed class TwoWaySite : IAsyncDisposable
{
    public const string Name = "tester.example.test";

    private TwoWaySite(FederationLab lab, SiteFactory factory, HttpClient client, IPAddress federationAddress, string dataDirectory)
    {
        (Lab, Factory, Client, FederationAddress, DataDirectory) = (lab, factory, client, federationAddress, dataDirectory);
    }

    public FederationLab Lab { get; }

    public SiteFactory Factory { get; }

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public IPAddress FederationAddress { get; }

    public string DataDirectory { get; }

    /// <param name="federationAddress">Another instance's federation address; null: a new one, with the name's A record.</param>
    public static async Task<TwoWaySite> StartAsync(FederationLab? lab = null, IReadOnlyDictionary<string, string?>? settings = null, IPAddress? federationAddress = null, bool registerName = true)
    {
        lab ??= await FederationLab.StartAsync();
        var address = federationAddress ?? FederationLab.NewAddress();
        if (registerName)
        {
            lab.Zone.A(Name, address.ToString());
        }
        var directory = Path.Combine(Path.GetTempPath(), "matrixtester-twoway-" + Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?> { ["Federation:ServerName"] = Name };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var factory = new SiteFactory(lab, directory, all);
        var certificate = lab.Pki.Issue(Name).CreateContext();
        factory.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Listen(address, 8448, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = certificate }),
            }));
        });
        factory.StartServer();
        var http = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));
        return new TwoWaySite(lab, factory, new HttpClient { BaseAddress = new Uri(http), Timeout = TimeSpan.FromMinutes(2) }, address, directory);
    }

    public Task<LabFederationPeer> PeerAsync(PeerFault fault = PeerFault.None) => LabFederationPeer.StartAsync(Lab, "peer.lab", fault);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
