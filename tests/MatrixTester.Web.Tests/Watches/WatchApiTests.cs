using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MatrixTester.Web.Tests.Watches;

/// <summary><c>POST /api/v2/watches</c>: what it refuses and why, and its abuse bounds.</summary>
public sealed class WatchApiTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SiteFactory Site(string directory, Dictionary<string, string?> extra)
    {
        var settings = watch.Settings(TimeSpan.FromHours(6));
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, directory), settings);
    }

    /// <summary>The lab's receiver, which answers the verification request (a distinct URL per watch).</summary>
    private string Hook(int i) => new Uri(watch.Hooks.Url, $"/hook?watch={i}").ToString();

    [Theory]
    [InlineData("""{"server_name": "example.org"}""", 400, "email address, a webhook URL, or both")]
    [InlineData("""{"server_name": "exa mple.org", "webhook": "https://hooks.example.org/x"}""", 400, "not a valid Matrix server name")]
    [InlineData("""{"server_name": "example.org", "webhook": "http://hooks.example.org/x"}""", 400, "must use https://")]
    [InlineData("""{"server_name": "example.org", "webhook": "https://10.1.2.3/x"}""", 400, "does not connect to private networks")]
    [InlineData("""{"server_name": "example.org", "webhook": "https://user:pw@hooks.example.org/x"}""", 400, "must not contain credentials")]
    [InlineData("""{"server_name": "example.org", "webhook": "hooks.example.org/x"}""", 400, "absolute URL")]
    [InlineData("""{"server_name": "example.org", "email": "not an address"}""", 400, "not a valid address")]
    [InlineData("""{"server_name": "example.org", "email": "a@[127.0.0.1]"}""", 400, "not at an IP address")]
    [InlineData("""{"server_name": "example.org", "email": "a@127.0.0.1"}""", 400, "not at an IP address")]
    [InlineData("""{"server_name": "example.org", "email": "a@localhost"}""", 400, "\"localhost\" is not one")]
    [InlineData("""{"server_name": "example.org", "email": "a@b@example.org"}""", 400, "not a valid address")]
    [InlineData("""{"server_name": "example.org", "email": "a\r\nbcc: x@example.org"}""", 400, "not a valid address")]
    public async Task Bad_requests_get_a_problem_that_says_what_to_change(string body, int status, string detail)
    {
        // A public site: private networks not allowed.
        await using var site = Site("refusals", new() { ["Diagnosis:AllowPrivateNetworks"] = "false" });
        using var response = await site.CreateClient().PostAsync("/api/v2/watches", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_watches_are_refused_when_the_site_sends_no_mail()
    {
        await using var site = Site("no-mail", new() { ["Monitoring:Smtp:Host"] = "" });
        using var response = await site.CreateClient().PostAsJsonAsync("/api/v2/watches", new { server_name = "example.org", email = "admin@example.org" }, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(watch.Mail.Messages(), m => m.To.ToString().Contains("admin@example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_name_keeps_at_most_the_configured_number_of_watches()
    {
        await using var site = Site("caps", new() { ["Monitoring:MaxWatchesPerServer"] = "2" });
        var client = site.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var ok = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = "capped.example.org", webhook = Hook(i) }, Ct);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        using var refused = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = "capped.example.org", webhook = Hook(3) }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        using var other = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = "other.example.org", webhook = Hook(4) }, Ct);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task Creating_watches_is_rate_limited_per_client_address()
    {
        await using var site = Site("rate", new() { ["Monitoring:CreateTokenLimit"] = "2", ["Monitoring:CreateReplenishmentPeriod"] = "01:00:00" });
        var client = site.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = $"rate{i}.example.org", webhook = Hook(i) }, Ct);
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        // The result page's form counts against the same bucket.
        using var form = await client.PostAsync("/watch", new FormUrlEncodedContent(new Dictionary<string, string> { ["server_name"] = "rate.example.org", ["webhook"] = Hook(9) }), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, form.StatusCode);
    }

    [Fact]
    public async Task Unknown_or_spent_tokens_confirm_and_unsubscribe_nothing()
    {
        await using var site = Site("tokens", []);
        var client = site.CreateClient();
        foreach (var path in new[] { "/watches/confirm?token=", "/watches/unsubscribe?token=" })
        {
            using var missing = await client.GetAsync(path + new string('A', 43), Ct);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            using var malformed = await client.GetAsync(path + "%3Cscript%3E", Ct);
            Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        }
        using var post = await client.PostAsync("/watches/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = new string('B', 43) }), Ct);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }
}
