using System.Net;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Web.Tests.History;

/// <summary>
/// A lab homeserver whose certificate and signing key a test can replace between diagnoses, the way an admin's
/// renewal or a botched deploy does: .well-known on the name delegates to hs.{name}:8448, and that listener is
/// restarted on the same address with the new certificate and key. Keys are valid until a whole second, so
/// tests can compare timestamps exactly.
/// </summary>
public sealed class SwappableServer : IAsyncDisposable
{
    private readonly FederationLab _lab;
    private LabHttpsHost? _host;

    private SwappableServer(FederationLab lab, string name, IPEndPoint endPoint)
    {
        _lab = lab;
        Name = name;
        EndPoint = endPoint;
    }

    public string Name { get; }

    public string Host => $"hs.{Name}";

    /// <summary>The homeserver's address as reports key it ("127.B.x.y:8448").</summary>
    public IPEndPoint EndPoint { get; }

    public LabCertificate Certificate { get; private set; } = null!;

    public LabSigningKey Key { get; private set; } = null!;

    public DateTimeOffset KeysValidUntil { get; } = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 86_400);

    public static async Task<SwappableServer> StartAsync(FederationLab lab, string name)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var web = FederationLab.NewAddress();
        lab.Zone.A(name, web.ToString());
        await lab.HttpsAsync(web, 443, lab.Pki.Issue(name), r => r.Delegate($"hs.{name}:8448"));
        var hs = FederationLab.NewAddress();
        lab.Zone.A($"hs.{name}", hs.ToString());
        var server = new SwappableServer(lab, name, new IPEndPoint(hs, 8448));
        await server.ServeAsync(lab.Pki.Issue(server.Host), LabSigningKey.Create("ed25519:first"));
        return server;
    }

    /// <summary>An expired certificate and a new key: what a failed renewal plus a reinstall looks like.</summary>
    public Task BreakAsync() => ServeAsync(_lab.Pki.IssueExpired(Host), LabSigningKey.Create("ed25519:second"));

    /// <summary>A fresh valid certificate, keeping the current key.</summary>
    public Task RenewAsync() => ServeAsync(_lab.Pki.Issue(Host), Key);

    public async Task ServeAsync(LabCertificate certificate, LabSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        Certificate = certificate;
        Key = key;
        var routes = new LabRoutes().Homeserver(Name, key, key.KeyResponse(Name, KeysValidUntil));
        _host = await LabHttpsHost.StartAsync(EndPoint, certificate.CreateContext(), routes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
