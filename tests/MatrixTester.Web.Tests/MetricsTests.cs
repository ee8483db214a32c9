using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests;

/// <summary>/metrics: off by default, only for loopback and configured networks, Prometheus text when on.</summary>
[Collection(nameof(OneSiteAtATime))]
public sealed class MetricsTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The test server has no socket; this plays the client's address, as Kestrel would set it.</summary>
    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private WebApplicationFactory<Program> Site(string from, params (string Key, string Value)[] settings) =>
        fixture.Site.WithWebHostBuilder(b => b
            .ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)))
            .ConfigureServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse(from)))));

    [Fact]
    public async Task Metrics_are_off_unless_enabled()
    {
        await using var site = Site("127.0.0.1");
        using var response = await site.CreateClient().GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", "", HttpStatusCode.OK)]
    [InlineData("::1", "", HttpStatusCode.OK)]
    [InlineData("203.0.113.7", "", HttpStatusCode.NotFound)]
    [InlineData("203.0.113.7", "203.0.113.0/24", HttpStatusCode.OK)]
    [InlineData("::ffff:203.0.113.7", "203.0.113.0/24", HttpStatusCode.OK)]
    [InlineData("198.51.100.1", "203.0.113.0/24", HttpStatusCode.NotFound)]
    [InlineData("fd00::5", "fd00::/8", HttpStatusCode.OK)]
    public async Task Only_loopback_and_allowed_networks_may_scrape(string from, string network, HttpStatusCode expected)
    {
        var settings = new List<(string, string)> { ("Metrics:Enabled", "true") };
        if (network.Length > 0)
        {
            settings.Add(("Metrics:AllowedNetworks:0", network));
        }
        await using var site = Site(from, [.. settings]);
        using var response = await site.CreateClient().GetAsync("/metrics", Ct);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_request_relayed_by_a_proxy_on_loopback_is_refused()
    {
        await using var site = Site("127.0.0.1", ("Metrics:Enabled", "true"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "198.51.100.1");
        using var response = await site.CreateClient().SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_diagnosis_shows_up_in_every_series()
    {
        await using var site = Site("127.0.0.1", ("Metrics:Enabled", "true"));
        var client = site.CreateClient();
        var report = JsonDocument.Parse(await client.GetStringAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct)).RootElement;
        var verdict = report.GetProperty("verdict").GetProperty("status").GetString();
        var findingIds = report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.NotEmpty(findingIds);

        using var response = await client.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("# TYPE matrixtester_diagnoses_started_total counter", text, StringComparison.Ordinal);
        Assert.Matches(Series("matrixtester_diagnoses_started_total", "", "[1-9][0-9]*"), text);
        Assert.Matches(Series("matrixtester_diagnoses_finished_total", $"verdict=\"{verdict}\"", "[1-9][0-9]*"), text);
        Assert.Contains("# TYPE matrixtester_diagnosis_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Matches(Series("matrixtester_diagnosis_duration_seconds_bucket", "le=\"\\+Inf\"", "[1-9][0-9]*"), text);
        Assert.Matches(Series("matrixtester_diagnosis_duration_seconds_count", $"verdict=\"{verdict}\"", "[1-9][0-9]*"), text);
        Assert.Matches(Series("matrixtester_diagnosis_duration_seconds_sum", $"verdict=\"{verdict}\"", "[0-9.e+-]+"), text);
        foreach (var id in findingIds.Distinct())
        {
            Assert.Matches(Series("matrixtester_findings_total", $"id=\"{Regex.Escape(id!)}\"", "[1-9][0-9]*"), text);
        }
        Assert.Contains("# TYPE matrixtester_diagnoses_active gauge", text, StringComparison.Ordinal);
        Assert.Matches(Series("matrixtester_diagnoses_active", "", "[0-9]+"), text);
        Assert.Matches(Series("matrixtester_rate_limit_rejections_total", "", "0"), text);
        Assert.Matches(Series("matrixtester_store_duration_seconds_count", "operation=\"save\"", "[1-9][0-9]*"), text);
    }

    [Fact]
    public async Task Rate_limit_rejections_are_counted()
    {
        await using var site = Site("127.0.0.1", ("Metrics:Enabled", "true"), ("Abuse:RateLimit:TokenLimit", "1"),
            ("Abuse:RateLimit:TokensPerPeriod", "1"), ("Abuse:RateLimit:ReplenishmentPeriod", "01:00:00"));
        var client = site.CreateClient();
        using var first = await client.GetAsync($"/api/federation-ok?server_name={SiteFixture.Missing}", Ct);
        using var second = await client.GetAsync($"/api/federation-ok?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);

        var text = await client.GetStringAsync("/metrics", Ct);
        Assert.Matches(Series("matrixtester_rate_limit_rejections_total", "", "1"), text);
    }

    [Fact]
    public async Task Refusals_for_a_clients_fair_share_are_counted_apart_from_a_full_tester()
    {
        await using var site = Site("127.0.0.1", ("Metrics:Enabled", "true"), ("Abuse:MaxConcurrentDiagnoses", "2"),
            ("Abuse:MaxRunningPerClient", "1"), ("Abuse:MaxQueuedPerClient", "0"));
        var client = site.CreateClient();
        var gate = await fixture.GatedServerAsync();
        try
        {
            using var running = await client.GetAsync($"/api/v2/stream?server_name={gate.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.OK, running.StatusCode);
            using var refused = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

            var text = await client.GetStringAsync("/metrics", Ct);
            var lines = string.Join("\n", text.Split('\n').Where(l => l.StartsWith("matrixtester_diagnoses_refused", StringComparison.Ordinal) || l.StartsWith("matrixtester_rate_limit", StringComparison.Ordinal)));
            Assert.True(Series("matrixtester_diagnoses_refused_total", "reason=\"client_share\"", "1").IsMatch(text), lines);
            Assert.True(Series("matrixtester_diagnoses_refused_total", "reason=\"busy\"", "0").IsMatch(text), lines);
            Assert.True(Series("matrixtester_rate_limit_rejections_total", "", "0").IsMatch(text), lines);
        }
        finally
        {
            gate.Open();
        }
    }

    /// <summary>One sample line: the name, labels (containing <paramref name="label"/> if given), the value.</summary>
    private static Regex Series(string name, string label, string value)
    {
        var labels = label.Length > 0 ? $@"\{{[^}}]*{label}[^}}]*\}}" : @"(\{[^}]*\})?";
        return new Regex($"(?m)^{name}{labels} {value}( [0-9]+)?$");
    }
}

/// <summary>
/// The exporter of one host also reads the same-named meter of every other host in this process, and reports one
/// of their values: counts asserted here would be another test's while sites run alongside. One site at a time.
/// </summary>
[CollectionDefinition(nameof(OneSiteAtATime), DisableParallelization = true)]
public sealed class OneSiteAtATime;
