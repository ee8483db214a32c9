using System.Net;
using System.Net.Http.Json;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Tests.Watches;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Uptime;

/// <summary>Real scheduled checks (Quartz, every two seconds) of a watched healthy lab server count towards its uptime.</summary>
public sealed class ScheduledUptimeTests(WatchLab watch) : IClassFixture<WatchLab>
{
    [Fact]
    public async Task Each_scheduled_check_counts_for_the_uptime_and_a_visitors_test_does_not()
    {
        var ct = TestContext.Current.CancellationToken;
        var (name, _) = await watch.ServerAsync();
        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "uptime"), watch.Settings(TimeSpan.FromSeconds(2)));
        var client = site.CreateClient();
        using (var visitor = await client.GetAsync($"/api/v2/report?server_name={name}", ct))
        {
            Assert.Equal(HttpStatusCode.OK, visitor.StatusCode);
        }
        var uptime = site.Services.GetRequiredService<UptimeStore>();
        Assert.False((await uptime.UptimeAsync(name, DateTimeOffset.UtcNow, ct)).Any);

        using var created = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = name, webhook = watch.Hooks.Url.ToString() }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await WatchLab.NextCheckAsync(site.Services, name, null);
        await WatchLab.NextCheckAsync(site.Services, name, first);

        var week = (await uptime.UptimeAsync(name, DateTimeOffset.UtcNow, ct)).Window(7);
        Assert.True(week.Worked >= 2, $"{week.Worked} scheduled checks counted after two");
        Assert.Equal((0, 0), (week.Broken, week.NotFinished));
        var recent = await site.Services.GetRequiredService<IResultStore>().RecentAsync(name, 100, ct);
        // Every stored result but the visitor's is a scheduled check (the reuse window is off in tests).
        Assert.InRange(week.Worked, 2, recent.Count - 1);
    }
}
