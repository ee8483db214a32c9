using System.Net;
using System.Text.Json;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Web.Tests.Exports;

/// <summary>
/// A lab with three servers for the Markdown export: a healthy one, one whose certificate expired (broken), and one
/// whose version answer is written to break out of Markdown (links, a heading, HTML, a mention, table cells, line
/// breaks). The site knows its public address, so the export's links are absolute and predictable.
/// </summary>
public sealed class ExportFixture : IAsyncLifetime
{
    public const string Healthy = "healthy.export.test";
    public const string Expired = "expired.export.test";
    public const string Hostile = "hostile.export.test";
    public const string PublicUrl = "https://tester.example.org";

    /// <summary>What the hostile server calls its software.</summary>
    public const string HostileSoftware = "Synapse](https://evil.example/steal) [click me](https://evil.example/a) <img src=x onerror=alert(1)>\n# Owned\n@room `tick` | cell | www.evil.example **bold** _it_ ~~gone~~ &lt;b&gt;";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "matrixtester-export-" + Guid.NewGuid().ToString("N"));

    public FederationLab Lab { get; private set; } = null!;

    public SiteFactory Site { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Lab = await FederationLab.StartAsync();
        await ServerAsync(Healthy);
        await ServerAsync(Expired, expired: true);
        await ServerAsync(Hostile, software: HostileSoftware, expired: true);
        Site = new SiteFactory(Lab, _data, new Dictionary<string, string?> { ["Site:PublicUrl"] = PublicUrl + "/" });
    }

    private async Task ServerAsync(string name, string software = "Synapse", bool expired = false)
    {
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        Lab.Zone.A(name, web.ToString()).A($"hs.{name}", hs.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue(name), r => r.Delegate($"hs.{name}:8448").ClientWellKnown($"https://hs.{name}:8448"));
        var certificate = expired ? Lab.Pki.IssueExpired($"hs.{name}") : Lab.Pki.Issue($"hs.{name}");
        // The lab writes the name into its JSON as given: a JSON string's inside, escaped here.
        var json = JsonSerializer.Serialize(software)[1..^1];
        await Lab.HttpsAsync(hs, 8448, certificate, r => r.Homeserver(name, LabSigningKey.Create(), software: json).ClientApi());
    }

    /// <summary>Runs a diagnosis of <paramref name="name"/> through the API and returns its permalink id.</summary>
    public async Task<string> RunAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync($"/api/v2/report?server_name={name}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Result-Id").Single();
    }

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
