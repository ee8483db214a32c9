using System.Net;
using MatrixTester.Lab;

namespace MatrixTester.Web.Tests;

/// <summary>
/// A permalink that was shown to somebody survives the site being killed (SIGKILL, no shutdown) and restarted:
/// SQLite in WAL mode commits before the id is returned.
/// </summary>
public sealed class DurabilityTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_permalink_returned_before_a_kill_9_opens_after_a_restart()
    {
        var names = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            names.Add($"durable{i}.example.test");
            await fixture.HealthyServerAsync(names[^1]);
        }
        names.Add(SiteFixture.Missing);
        var data = Path.Combine(Path.GetTempPath(), "matrixtester-durability-" + Guid.NewGuid().ToString("N"));
        var environment = Environment(data);
        try
        {
            var shown = new List<(string Name, string Id)>();
            await using (var site = await SiteProcess.StartAsync(environment, Ct))
            {
                using var client = new HttpClient { BaseAddress = site.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                // A diagnosis still running at the moment of the kill: its result was never shown, so it may be lost.
                var gate = await fixture.GatedServerAsync();
                var inFlight = client.GetAsync($"/api/v2/report?server_name={gate.ServerName}", Ct);
                var results = await Task.WhenAll(names.Select(async name =>
                {
                    using var response = await client.GetAsync($"/api/v2/report?server_name={name}", Ct);
                    Assert.True(response.StatusCode == HttpStatusCode.OK, site.Output);
                    return (name, response.Headers.GetValues("X-Result-Id").Single());
                }));
                shown.AddRange(results);
                site.Kill(); // immediately after the last id was returned
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => inFlight);
                gate.Open();
            }

            await using var restarted = await SiteProcess.StartAsync(environment, Ct);
            using var again = new HttpClient { BaseAddress = restarted.BaseAddress };
            foreach (var (name, id) in shown)
            {
                using var page = await again.GetAsync($"/r/{id}", Ct);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Contains(name, await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
                using var json = await again.GetAsync($"/api/v2/results/{id}", Ct);
                Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            }
            Assert.Equal(names.Count, shown.Select(s => s.Id).Distinct().Count());
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private Dictionary<string, string> Environment(string data) => new()
    {
        ["Diagnosis__NameServers__0"] = fixture.Lab.Dns.EndPoint.ToString(),
        ["Diagnosis__ExtraTrustedRoots"] = FederationLab.RootPemPath,
        ["Diagnosis__AllowPrivateNetworks"] = "true",
        ["Diagnosis__DnsTimeout"] = "00:00:02",
        ["Diagnosis__ConnectTimeout"] = "00:00:03",
        ["Diagnosis__RequestTimeout"] = "00:00:05",
        ["Diagnosis__OverallDeadline"] = "00:00:20",
        ["Storage__DataDirectory"] = data,
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };
}
