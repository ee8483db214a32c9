using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>Certificates nearing expiry alert once per bucket (30, 14, 7, 3, 1 days), not on every check.</summary>
public sealed class ExpiryAlertTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_expiry_bucket_of_a_certificate_is_announced_once()
    {
        var (name, homeserver) = await watch.ServerAsync();
        homeserver.ReplaceCertificate(watch.Lab.Pki.Issue(new LeafSpec([$"hs.{name}"]) { NotAfterOffset = TimeSpan.FromDays(20) }));
        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "expiry"), watch.Settings(TimeSpan.FromSeconds(2)));
        var client = site.CreateClient();
        var hook = new Uri(watch.Hooks.Url, $"/hook?expiry={name}").ToString();
        using var created = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = name, webhook = hook }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var check = await WatchLab.NextCheckAsync(site.Services, name, null);
        check = await WatchLab.NextCheckAsync(site.Services, name, check);
        check = await WatchLab.NextCheckAsync(site.Services, name, check);
        var first = Assert.Single(Mine(name));
        var change = Assert.Single(first.GetProperty("changes").EnumerateArray(), c => c.GetProperty("kind").GetString() == "expiry");
        Assert.Contains("expires in 20 days", change.GetProperty("description").GetString(), StringComparison.Ordinal);

        // Renewed... with a certificate that has only 3 days: the next bucket of a new certificate.
        homeserver.ReplaceCertificate(watch.Lab.Pki.IssueExpiringSoon($"hs.{name}"));
        check = await WatchLab.NextCheckAsync(site.Services, name, check);
        check = await WatchLab.NextCheckAsync(site.Services, name, check);
        await WatchLab.NextCheckAsync(site.Services, name, check);
        var alerts = Mine(name);
        Assert.Equal(2, alerts.Count);
        var descriptions = alerts[1].GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("kind").GetString() + ": " + c.GetProperty("description").GetString()).ToArray();
        Assert.Contains(descriptions, d => d.StartsWith("expiry: ", StringComparison.Ordinal) && d.Contains("expires in 3 days", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d.StartsWith("certificate: ", StringComparison.Ordinal));
    }

    private List<JsonElement> Mine(string name) =>
        [.. watch.Hooks.Deliveries.Select(d => JsonDocument.Parse(d.Body).RootElement).Where(p => p.GetProperty("server_name").GetString() == name)];
}
