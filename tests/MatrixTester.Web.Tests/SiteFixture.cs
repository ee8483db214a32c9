using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Web.Tests;

/// <summary>
/// One lab and one site shared by a test class. The lab holds named scenarios: a healthy delegated homeserver
/// (<see cref="Good"/>), a name that does not exist (<see cref="Missing"/>), and on demand, a server whose
/// .well-known answers only when the test opens a gate (to prove events stream before the diagnosis ends).
/// </summary>
public sealed class SiteFixture : IAsyncLifetime
{
    public const string Good = "good.example.test";
    public const string Missing = "missing.example.test";
    private static int _gates;

    public FederationLab Lab { get; private set; } = null!;

    public SiteFactory Site { get; private set; } = null!;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "matrixtester-web-tests-" + Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        Lab = await FederationLab.StartAsync();
        await HealthyServerAsync(Good);
        Site = new SiteFactory(Lab, DataDirectory);
    }

    /// <summary>example.test-style delegation: .well-known on the name → hs.name:8448, which serves /version and signed keys.</summary>
    public async Task HealthyServerAsync(string name)
    {
        var web = FederationLab.NewAddress();
        Lab.Zone.A(name, web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue(name), r => r.Delegate($"hs.{name}:8448").ClientWellKnown($"https://hs.{name}:8448"));
        await HomeserverAsync(name, $"hs.{name}");
    }

    private async Task HomeserverAsync(string serverName, string host)
    {
        var hs = FederationLab.NewAddress();
        Lab.Zone.A(host, hs.ToString());
        var key = LabSigningKey.Create();
        await Lab.HttpsAsync(hs, 8448, Lab.Pki.Issue(host), r => r.Homeserver(serverName, key).ClientApi());
    }

    /// <summary>
    /// Delegated to hs.name:port, which has a working IPv4 address and an IPv6 address (::1) where nothing listens:
    /// the classic "works on IPv4, broken on IPv6".
    /// </summary>
    public async Task<string> SplitFamilyServerAsync()
    {
        var name = $"split{Interlocked.Increment(ref _gates)}.example.test";
        var port = FederationLab.FreeIPv6Port();
        var web = FederationLab.NewAddress();
        Lab.Zone.A(name, web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue(name), r => r.Delegate($"hs.{name}:{port}"));
        var hs = FederationLab.NewAddress();
        Lab.Zone.A($"hs.{name}", hs.ToString()).Aaaa($"hs.{name}", "::1");
        await Lab.HttpsAsync(hs, port, Lab.Pki.Issue($"hs.{name}"), r => r.Homeserver(name, LabSigningKey.Create()));
        return name;
    }

    /// <summary>A healthy server whose .well-known waits for <see cref="Gate.Open"/> (or 15 s) before answering.</summary>
    public async Task<Gate> GatedServerAsync()
    {
        var name = $"gated{Interlocked.Increment(ref _gates)}.example.test";
        var gate = new Gate(name);
        var web = FederationLab.NewAddress();
        Lab.Zone.A(name, web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue(name), r => r.Map("/.well-known/matrix/server", async context =>
        {
            gate.Arrive();
            await gate.WaitAsync();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"m.server": "hs.{{name}}:8448"}""");
        }));
        await HomeserverAsync(name, $"hs.{name}");
        return gate;
    }

    public async ValueTask DisposeAsync()
    {
        await Site.DisposeAsync();
        await Lab.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL file for a moment; a temp folder left behind is harmless.
        }
    }
}

public sealed class Gate(string serverName)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ServerName => serverName;

    public bool IsOpen => _open.Task.IsCompleted;

    public void Open() => _open.TrySetResult();

    /// <summary>Completes when a diagnosis asks for the gated .well-known: the run has started and is held there.</summary>
    public Task Reached => _reached.Task;

    internal void Arrive() => _reached.TrySetResult();

    // Bounded, so a test that never opens the gate cannot hang the lab.
    internal Task WaitAsync() => Task.WhenAny(_open.Task, Task.Delay(TimeSpan.FromSeconds(15)));
}
