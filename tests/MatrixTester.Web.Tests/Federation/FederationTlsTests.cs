using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab;
using MatrixTester.Web.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>
/// The federation listener as an operator configures it: a Kestrel HTTPS endpoint from settings alone
/// (<c>Kestrel:Endpoints:Federation:Url</c>, <c>:Certificate:Path</c>, <c>:Certificate:KeyPath</c>, PEM files), on a lab
/// address and port 8448; a peer that connects by name gets the chain and our keys, and its SNI is recorded.
/// </summary>
public sealed class FederationTlsTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_kestrel_endpoint_configured_with_pem_files_serves_the_keys_over_tls_and_the_sni_is_recorded()
    {
        var directory = FederationSite.NewDirectory(fixture.DataDirectory);
        Directory.CreateDirectory(directory);
        var certificate = fixture.Lab.Pki.Issue(FederationSite.Name);
        var certificatePath = Path.Combine(directory, "federation.crt");
        var keyPath = Path.Combine(directory, "federation.key");
        File.WriteAllText(certificatePath, string.Concat(certificate.ChainToSend.Select(c => c.ExportCertificatePem() + "\n")));
        File.WriteAllText(keyPath, certificate.Leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var address = FederationLab.NewAddress();
        var proxy = FederationLab.NewAddress();

        await using var site = FederationSite.Create(fixture.Lab, directory,
            ("Kestrel:Endpoints:Federation:Url", $"https://{address}:8448"),
            ("Kestrel:Endpoints:Federation:Certificate:Path", certificatePath),
            ("Kestrel:Endpoints:Federation:Certificate:KeyPath", keyPath),
            ("Abuse:KnownProxies:0", proxy.ToString()));
        site.UseKestrel();
        site.StartServer();
        var peer = FederationLab.NewAddress();
        var probe = await site.Services.GetRequiredService<FederationIdentity>().StartProbeAsync("tls.example.test", [peer, IPAddress.Parse("2001:db8::5")], Ct);

        using var client = PeerClient(peer, address, fixture.Lab.Pki.Root);
        using var response = await client.GetAsync($"https://{FederationSite.Name}:8448/_matrix/key/v2/server/{probe.KeyId}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = ServerKeyChecker.Check(200, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync(Ct), FederationSite.Name, DateTimeOffset.UtcNow);
        Assert.True(keys.AllChecksOK, string.Join("; ", keys.Findings.Select(f => f.Summary)));
        Assert.Contains(probe.KeyId, keys.VerifyKeys.Keys);

        var seen = Assert.Single(await probe.InboundAsync(Ct));
        Assert.Equal(FederationSite.Name, seen.Sni);
        Assert.Equal($"{FederationSite.Name}:8448", seen.Host);
        Assert.Equal(peer.ToString(), seen.RemoteAddress);
        Assert.Equal("IPv4", seen.AddressFamily);

        // Through a trusted proxy, the address it forwards is the peer's (the site's client-address rule).
        using var viaProxy = PeerClient(proxy, address, fixture.Lab.Pki.Root);
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, $"https://{FederationSite.Name}:8448/_matrix/key/v2/server");
        forwarded.Headers.Add("X-Forwarded-For", "2001:db8::5");
        (await viaProxy.SendAsync(forwarded, Ct)).EnsureSuccessStatusCode();
        // From anyone else the header is ignored.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, $"https://{FederationSite.Name}:8448/_matrix/key/v2/server");
        spoofed.Headers.Add("X-Forwarded-For", "2001:db8::6");
        (await client.SendAsync(spoofed, Ct)).EnsureSuccessStatusCode();

        var all = await probe.InboundAsync(Ct);
        Assert.Equal(3, all.Count);
        Assert.Equal(("2001:db8::5", "IPv6"), (all[1].RemoteAddress, all[1].AddressFamily));
        Assert.Equal((peer.ToString(), "IPv4"), (all[2].RemoteAddress, all[2].AddressFamily));
    }

    // A peer as a homeserver is one: connects from its own address to the address it resolved, sends the server name as SNI and Host, and
    // accepts only a chain to the (lab) root built from what the server sent.
    internal static HttpClient PeerClient(IPAddress from, IPAddress address, X509Certificate2 root) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, sent, errors) =>
            {
                if (certificate is not X509Certificate2 leaf || sent is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
                return chain.Build(leaf);
            },
        },
    })
    { Timeout = TimeSpan.FromSeconds(20) };
}
