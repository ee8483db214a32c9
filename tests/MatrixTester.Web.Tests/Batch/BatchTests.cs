using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MatrixTester.Web.Tests.Shares;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Batch;

/// <summary>
/// <c>POST /api/v2/batch</c>: one line per name as each finishes, the whole batch admitted as N diagnoses (all or
/// none against the rate limit), within the client's fair share, and bounded in size.
/// </summary>
public sealed class BatchTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SiteFactory Site(params (string Key, string Value)[] settings) =>
        new(fixture.Lab, fixture.DataDirectory, settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, params string[] names) =>
        client.PostAsync("/api/v2/batch", JsonContent.Create(new { server_names = names }), Ct);

    private static async Task<List<JsonElement>> LinesAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return [.. text.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    [Fact]
    public async Task Each_name_gets_its_line_as_it_finishes_whatever_the_order_asked()
    {
        var gate = await fixture.GatedServerAsync();
        var client = fixture.Site.CreateClient();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v2/batch")
        {
            Content = JsonContent.Create(new { server_names = new[] { gate.ServerName, SiteFixture.Good, SiteFixture.Missing } }),
        }, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        // The gated name was asked first, but is held: the other two arrive before it.
        var first = JsonDocument.Parse((await reader.ReadLineAsync(Ct))!).RootElement.Clone();
        var second = JsonDocument.Parse((await reader.ReadLineAsync(Ct))!).RootElement.Clone();
        Assert.False(gate.IsOpen);
        var early = new[] { first, second }.ToDictionary(l => l.GetProperty("server_name").GetString()!);
        Assert.Equal([SiteFixture.Good, SiteFixture.Missing], early.Keys.Order(StringComparer.Ordinal));
        gate.Open();
        var last = JsonDocument.Parse((await reader.ReadLineAsync(Ct))!).RootElement;
        Assert.Equal(gate.ServerName, last.GetProperty("server_name").GetString());
        Assert.Null(await reader.ReadLineAsync(Ct));

        var good = early[SiteFixture.Good];
        Assert.Equal("works", good.GetProperty("verdict").GetString());
        Assert.Equal("Federation works", good.GetProperty("headline").GetString());
        Assert.Equal(["ipv4:works", "ipv6:no address", "clients:works", "calls:not offered", "login:classic"],
            good.GetProperty("chips").EnumerateArray().Select(c => $"{c.GetProperty("key").GetString()}:{c.GetProperty("value").GetString()}"));
        Assert.Equal(0, good.GetProperty("problems").GetArrayLength());
        var id = good.GetProperty("result_id").GetString()!;
        Assert.Equal($"/r/{id}", good.GetProperty("permalink").GetString());
        using var stored = await client.GetAsync($"/api/v2/results/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);

        var missing = early[SiteFixture.Missing];
        Assert.Equal("broken", missing.GetProperty("verdict").GetString());
        var problem = missing.GetProperty("problems")[0];
        Assert.Equal("error", problem.GetProperty("severity").GetString());
        Assert.Equal("federation", problem.GetProperty("part").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("docs").GetString()));
        Assert.Equal("works", last.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_batch_is_bounded_checked_before_anything_runs_and_counts_each_name_once()
    {
        await using var site = Site(("Abuse:MaxBatchNames", "3"));
        var client = site.CreateClient();

        using var tooMany = await PostAsync(client, "a.example.test", "b.example.test", "c.example.test", "d.example.test");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("application/problem+json", tooMany.Content.Headers.ContentType!.MediaType);
        Assert.Contains("At most 3 server names in one batch (4 given)", await tooMany.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var none = await PostAsync(client);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        using var form = await client.PostAsync("/api/v2/batch", new StringContent("server_names=a.example.test"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        using var notJson = await client.PostAsync("/api/v2/batch", new StringContent("[\"a.example.test\"", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var huge = await client.PostAsync("/api/v2/batch",
            new StringContent($"{{\"server_names\": [\"{new string('a', 70_000)}\"]}}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        using var emptyName = await PostAsync(client, SiteFixture.Missing, "");
        Assert.Equal(HttpStatusCode.BadRequest, emptyName.StatusCode);
        Assert.Contains("Server name 2: Missing server_name parameter", await emptyName.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, site.Services.GetRequiredService<MatrixTester.Web.Diagnoses.SharedDiagnoses>().RunsStarted);

        using var twice = await PostAsync(client, SiteFixture.Missing, SiteFixture.Missing, " " + SiteFixture.Missing);
        var lines = await LinesAsync(twice);
        Assert.Equal([SiteFixture.Missing], lines.Select(l => l.GetProperty("server_name").GetString()));
    }

    [Fact]
    public async Task The_rate_limit_counts_a_batch_as_one_diagnosis_per_name_all_or_none()
    {
        await using var site = Site(("Abuse:RateLimit:TokenLimit", "3"), ("Abuse:RateLimit:TokensPerPeriod", "1"),
            ("Abuse:RateLimit:ReplenishmentPeriod", "00:10:00"), ("Abuse:MaxBatchNames", "10"));
        var client = site.CreateClient();

        Assert.Equal(2, (await LinesAsync(await PostAsync(client, "r1.missing.example.test", "r2.missing.example.test"))).Count);

        using var refused = await PostAsync(client, "r3.missing.example.test", "r4.missing.example.test");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotEmpty(refused.Headers.GetValues("Retry-After"));
        Assert.Contains("Too many tests from your address", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The refused batch took nothing: the last token is still there for one name, then none is left.
        Assert.Single(await LinesAsync(await PostAsync(client, "r5.missing.example.test")));
        using var empty = await client.GetAsync("/api/v2/report?server_name=r6.missing.example.test", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, empty.StatusCode);

        // A batch larger than a full bucket could never pass: it is refused as too large, not left waiting.
        using var larger = await PostAsync(client, [.. Enumerable.Range(0, 4).Select(i => $"l{i}.missing.example.test")]);
        Assert.Equal(HttpStatusCode.BadRequest, larger.StatusCode);
        Assert.Contains("At most 3 server names", await larger.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Within_a_share_of_one_the_batch_runs_its_names_one_after_another_and_refuses_none()
    {
        await using var site = Site(("Abuse:MaxRunningPerClient", "1"), ("Abuse:MaxQueuedPerClient", "0"));
        var client = site.CreateClient();

        var lines = await LinesAsync(await PostAsync(client, "f1.missing.example.test", "f2.missing.example.test", SiteFixture.Good));

        Assert.Equal(["f1.missing.example.test", "f2.missing.example.test", SiteFixture.Good], lines.Select(l => l.GetProperty("server_name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.False(l.TryGetProperty("error", out _)));
    }

    [Fact]
    public async Task When_the_clients_share_is_held_by_its_other_requests_a_name_gets_a_line_saying_so()
    {
        var hanging = await HangingNames.StartAsync(fixture.Lab, 1);
        await using var site = Site(("Abuse:MaxRunningPerClient", "1"), ("Abuse:MaxQueuedPerClient", "0"));
        var client = site.CreateClient();
        // The stream answers once its diagnosis is admitted: from then on it holds the client's one running place.
        using var held = await client.GetAsync($"/api/v2/stream?server_name={hanging.Names[0]}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);

        var line = Assert.Single(await LinesAsync(await PostAsync(client, SiteFixture.Missing)));

        var error = line.GetProperty("error");
        Assert.Equal(429, error.GetProperty("status").GetInt32());
        Assert.Equal("Your address has enough tests running", error.GetProperty("title").GetString());
        Assert.InRange(error.GetProperty("retry_after").GetInt32(), 1, 3600);
        Assert.False(line.TryGetProperty("verdict", out _));
        hanging.Release();
    }

    [Fact]
    public async Task The_api_description_has_the_batch_endpoint_with_its_body_and_ndjson_answer()
    {
        var client = fixture.Site.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct));
        var post = document.RootElement.GetProperty("paths").GetProperty("/api/v2/batch").GetProperty("post");
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(post.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/x-ndjson", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("429", out _));
    }
}
