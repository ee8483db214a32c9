using System.Net;
using System.Text.Json;

namespace MatrixTester.Web.Tests;

public sealed class StreamTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private readonly HttpClient _client = fixture.Site.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Sse(string Event, JsonElement Data);

    private static async IAsyncEnumerable<Sse> ReadEventsAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        string? type = null;
        string? data = null;
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
            else if (line.Length == 0 && data is not null)
            {
                using var json = JsonDocument.Parse(data);
                yield return new Sse(type ?? "message", json.RootElement.Clone());
                type = data = null;
            }
        }
    }

    [Fact]
    public async Task Events_arrive_while_the_diagnosis_is_still_running_and_the_last_one_is_completed()
    {
        var gate = await fixture.GatedServerAsync();
        using var response = await _client.GetAsync($"/api/v2/stream?server_name={gate.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = new List<Sse>();
        var seenBeforeGate = 0;
        await foreach (var e in ReadEventsAsync(response))
        {
            events.Add(e);
            if (!gate.IsOpen)
            {
                // The .well-known host has not answered yet, so the diagnosis cannot be finished: this event streamed.
                seenBeforeGate++;
                Assert.NotEqual("completed", e.Event);
                gate.Open();
            }
        }
        Assert.True(seenBeforeGate > 0);
        Assert.Equal("completed", events[^1].Event);
        Assert.Equal("permalink", events[^2].Event);
        Assert.Equal("server-name", events[0].Event);
        Assert.All(events.Where(e => e.Event != "permalink"), e => Assert.Equal(e.Event, e.Data.GetProperty("kind").GetString()));
        Assert.Contains(events, e => e.Event == "well-known");
        var completed = events[^1].Data;
        Assert.Equal(gate.ServerName, completed.GetProperty("report").GetProperty("serverName").GetString());
        var id = events[^2].Data.GetProperty("id").GetString()!;
        Assert.Equal($"/r/{id}", events[^2].Data.GetProperty("url").GetString());
        using var stored = JsonDocument.Parse(await _client.GetStringAsync($"/api/v2/results/{id}", Ct));
        Assert.Equal(completed.GetProperty("report").GetProperty("startedAt").GetString(), stored.RootElement.GetProperty("startedAt").GetString());
    }

    [Fact]
    public async Task An_invalid_name_streams_a_server_name_event_and_a_completed_report()
    {
        using var response = await _client.GetAsync("/api/v2/stream?server_name=bad%20name", HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = new List<Sse>();
        await foreach (var e in ReadEventsAsync(response))
        {
            events.Add(e);
        }
        Assert.Equal(["server-name", "permalink", "completed"], events.Select(e => e.Event));
        Assert.Equal("Broken", events[^1].Data.GetProperty("report").GetProperty("verdict").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_missing_name_is_400_not_a_stream()
    {
        using var response = await _client.GetAsync("/api/v2/stream", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
