using System.Text.Json;
using MatrixTester.Lab;
using MatrixTester.Lab.Peer;
using MatrixTester.Web.Tests.Storage;

namespace MatrixTester.Web.Tests.TwoWay;

/// <summary>
/// Two instances of one deployment on one PostgreSQL database, with one signing key file: the diagnosis runs on A, the
/// name's DNS points the target at B, and B's record of the fetch completes A's probe.
/// </summary>
public sealed class TwoWayInstancesTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_probe_started_on_one_instance_is_completed_by_a_key_fetch_that_lands_on_the_other()
    {
        Requires.Part(LabPeerRuntime.NodeJs);
        var connectionString = await _database.NewSchemaAsync();
        var keyFile = Path.Combine(Path.GetTempPath(), "matrixtester-twoway-key-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = connectionString,
            ["Federation:SigningKeyPath"] = keyFile,
        };
        await using var lab = await FederationLab.StartAsync();
        // B first, so it creates the key file A then reads; only B's address is in DNS for the tester's name.
        await using var b = await TwoWaySite.StartAsync(lab, settings);
        await using var a = await TwoWaySite.StartAsync(lab, settings, registerName: false);
        var peer = await LabFederationPeer.StartAsync(lab, "peer.lab", cancellationToken: TestContext.Current.CancellationToken);

        using var document = JsonDocument.Parse(await a.Client.GetStringAsync($"/api/v2/report?server_name={peer.ServerName}", TestContext.Current.CancellationToken));
        var twoWay = document.RootElement.GetProperty("twoWay");
        Assert.True(twoWay.GetProperty("status").GetString() == "Works", twoWay + peer.Output);
        Assert.NotEmpty(twoWay.GetProperty("inbound").EnumerateArray());
        // The peer finds the tester's name only at B (A's federation address is in no DNS record), so every fetch
        // landed on B; A saw them through the shared store.
        var records = lab.Zone.Find(TwoWaySite.Name)!.Records.Select(r => r.ToString()).ToList();
        Assert.Contains(records, r => r!.Contains(b.FederationAddress.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r!.Contains(a.FederationAddress.ToString(), StringComparison.Ordinal));
        File.Delete(keyFile);
    }
}
