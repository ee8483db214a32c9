using System.Net;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Web.Diagnoses;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests;

/// <summary>Identical diagnoses share one run, finished results are reused briefly, and a global cap queues the rest.</summary>
public sealed class SharingTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SiteFactory Site(params (string Key, string Value)[] settings) =>
        new(fixture.Lab, fixture.DataDirectory, settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    [Fact]
    public async Task Two_concurrent_requests_for_one_server_share_one_run_and_one_permalink()
    {
        await using var site = Site();
        var client = site.CreateClient();
        var gate = await fixture.GatedServerAsync();
        var first = client.GetAsync($"/api/v2/report?server_name={gate.ServerName}", Ct);
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        // The second request, spelled with spaces, streams: its first event proves it joined the held run.
        using var second = await client.GetAsync($"/api/v2/stream?server_name=%20{gate.ServerName}%20", HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var events = Sse.ReadAsync(second).GetAsyncEnumerator(Ct);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("server-name", events.Current.Event);
        gate.Open();
        using var a = await first;
        string? permalink = null;
        while (await events.MoveNextAsync())
        {
            permalink = events.Current.Event == "permalink" ? events.Current.Data.GetProperty("id").GetString() : permalink;
        }
        Assert.Equal(a.Headers.GetValues("X-Result-Id").Single(), permalink);
        Assert.Equal(1, site.Services.GetRequiredService<SharedDiagnoses>().RunsStarted);
        // One set of queries: the A lookup of the name itself happened once, not twice.
        Assert.Single(fixture.Lab.Dns.QueryLog, q => q.Name == gate.ServerName && q.Type == DnsRecordType.A);
    }

    [Fact]
    public async Task A_late_watcher_gets_the_events_so_far_then_the_live_ones_and_the_same_permalink()
    {
        await using var site = Site();
        var client = site.CreateClient();
        var gate = await fixture.GatedServerAsync();
        using var early = await client.GetAsync($"/api/v2/stream?server_name={gate.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        var earlyEvents = new List<Sse>();
        await using var reader = Sse.ReadAsync(early).GetAsyncEnumerator(Ct);
        Assert.True(await reader.MoveNextAsync());
        earlyEvents.Add(reader.Current);

        using var late = await client.GetAsync($"/api/v2/stream?server_name={gate.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        gate.Open();
        var lateEvents = await ToListAsync(Sse.ReadAsync(late));
        while (await reader.MoveNextAsync())
        {
            earlyEvents.Add(reader.Current);
        }
        Assert.Equal("server-name", lateEvents[0].Event);
        Assert.Equal(earlyEvents.Select(e => e.Event), lateEvents.Select(e => e.Event));
        Assert.Equal(earlyEvents[^2].Data.GetProperty("id").GetString(), lateEvents[^2].Data.GetProperty("id").GetString());
        Assert.Equal(1, site.Services.GetRequiredService<SharedDiagnoses>().RunsStarted);
    }

    [Fact]
    public async Task Within_the_reuse_window_a_finished_result_is_shown_again_and_run_again_starts_a_new_one()
    {
        await using var site = Site(("Abuse:ReuseWindow", "00:10:00"), ("Abuse:RunAgainMinimumInterval", "00:00:00"));
        var client = site.CreateClient();
        var first = await ResultIdAsync(client, SiteFixture.Good);
        using var reused = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Good}", Ct);
        Assert.Equal(first, reused.Headers.GetValues("X-Result-Id").Single());
        Assert.Contains("Run again", reused.Headers.GetValues("X-Notice").Single(), StringComparison.Ordinal);
        var page = await client.GetDocumentAsync($"/?server_name={SiteFixture.Good}");
        Assert.EndsWith(first, page.QuerySelector("#report a.permalink")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains("shared with everyone", page.QuerySelector(".reuse-notice")!.TextContent, StringComparison.Ordinal);

        var again = await ResultIdAsync(client, SiteFixture.Good + "&fresh=1");
        Assert.NotEqual(first, again);
        Assert.Equal(2, site.Services.GetRequiredService<SharedDiagnoses>().RunsStarted);
    }

    [Theory]
    [InlineData("b%C3%BCcher.example.test")]
    [InlineData("x%0D%0AX-Injected:%201")]
    public async Task A_reused_result_for_odd_input_still_answers_with_a_safe_notice(string query)
    {
        await using var site = Site(("Abuse:ReuseWindow", "00:10:00"));
        var client = site.CreateClient();
        var first = await ResultIdAsync(client, query);
        using var reused = await client.GetAsync($"/api/v2/report?server_name={query}", Ct);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Equal(first, reused.Headers.GetValues("X-Result-Id").Single());
        Assert.All(reused.Headers.GetValues("X-Notice").Single(), c => Assert.InRange(c, ' ', '~'));
        Assert.False(reused.Headers.Contains("X-Injected"));
    }

    [Fact]
    public async Task Run_again_within_the_minimum_interval_shows_the_latest_result_with_a_message()
    {
        await using var site = Site(("Abuse:ReuseWindow", "00:00:00"), ("Abuse:RunAgainMinimumInterval", "00:10:00"));
        var client = site.CreateClient();
        var first = await ResultIdAsync(client, SiteFixture.Missing);
        using var again = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}&fresh=1", Ct);
        Assert.Equal(first, again.Headers.GetValues("X-Result-Id").Single());
        Assert.Contains("a new test can start in", again.Headers.GetValues("X-Notice").Single(), StringComparison.Ordinal);

        using var stream = await client.GetAsync($"/api/v2/stream?server_name={SiteFixture.Missing}&fresh=1", HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = await ToListAsync(Sse.ReadAsync(stream));
        Assert.Equal("notice", events[0].Event);
        Assert.Contains("latest result", events[0].Data.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(first, events.Single(e => e.Event == "permalink").Data.GetProperty("id").GetString());
        Assert.Equal(1, site.Services.GetRequiredService<SharedDiagnoses>().RunsStarted);
    }

    [Fact]
    public async Task Beyond_the_global_cap_diagnoses_wait_with_their_place_in_line_and_past_the_queue_get_503()
    {
        await using var site = Site(("Abuse:MaxConcurrentDiagnoses", "1"), ("Abuse:MaxQueuedDiagnoses", "2"), ("Abuse:BusyRetryAfter", "00:00:07"));
        var client = site.CreateClient();
        var running = await fixture.GatedServerAsync();
        var second = await fixture.GatedServerAsync();
        var third = await fixture.GatedServerAsync();
        using var a = await client.GetAsync($"/api/v2/stream?server_name={running.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var b = await client.GetAsync($"/api/v2/stream?server_name={second.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var c = await client.GetAsync($"/api/v2/stream?server_name={third.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var bEvents = Sse.ReadAsync(b).GetAsyncEnumerator(Ct);
        await using var cEvents = Sse.ReadAsync(c).GetAsyncEnumerator(Ct);
        Assert.True(await bEvents.MoveNextAsync());
        Assert.Equal("queue", bEvents.Current.Event);
        Assert.Equal(1, bEvents.Current.Data.GetProperty("position").GetInt32());
        Assert.True(await cEvents.MoveNextAsync());
        Assert.Equal("queue", cEvents.Current.Event);
        Assert.Equal(2, cEvents.Current.Data.GetProperty("position").GetInt32());
        Assert.Equal("The tester is busy; you are number 2 in line.", cEvents.Current.Data.GetProperty("message").GetString());

        // The line is full: an answer at once, never a timeout.
        using var full = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal("7", full.Headers.GetValues("Retry-After").Single());
        Assert.Contains("busy", await full.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var page = await client.GetDocumentAsync($"/?server_name={SiteFixture.Missing}", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("The tester is busy", page.QuerySelector("main h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("header.site-header nav"));
        Assert.Contains("try again in 7 seconds", page.QuerySelector(".retry-after")!.TextContent, StringComparison.Ordinal);

        // The running one finishes: the second starts, the third moves up to number 1.
        running.Open();
        Assert.True(await cEvents.MoveNextAsync());
        Assert.Equal("queue", cEvents.Current.Event);
        Assert.Equal(1, cEvents.Current.Data.GetProperty("position").GetInt32());
        Assert.True(await bEvents.MoveNextAsync());
        Assert.Equal("server-name", bEvents.Current.Event);
        second.Open();
        third.Open();
        var last = "";
        while (await cEvents.MoveNextAsync())
        {
            last = cEvents.Current.Event;
            Assert.NotEqual("queue", last);
        }
        Assert.Equal("completed", last);
    }

    private static async Task<string> ResultIdAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/api/v2/report?server_name={query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Result-Id").Single();
    }

    private static async Task<List<Sse>> ToListAsync(IAsyncEnumerable<Sse> events)
    {
        var list = new List<Sse>();
        await foreach (var e in events)
        {
            list.Add(e);
        }
        return list;
    }
}
