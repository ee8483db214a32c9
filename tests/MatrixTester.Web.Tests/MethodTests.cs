using System.Net;
using MatrixTester.Web.Diagnoses;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests;

/// <summary>
/// A method a page does not serve gets 405 with <c>Allow</c>, before any page code runs: never a 500, never a
/// diagnosis, never an error in the log (the log part runs against the real site process).
/// </summary>
public sealed class MethodTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Methods = ["POST", "PUT", "DELETE", "PATCH", "PROPFIND"];

    public static TheoryData<string, string> Pages() => new()
    {
        { "/", "GET, HEAD" },
        { $"/?server_name={SiteFixture.Missing}", "GET, HEAD" },
        { $"/?server_name={SiteFixture.Missing}&handler=Fragment", "GET, HEAD" },
        { "/r/AAAAAAAAAAAAAAAAAAAAAAAA", "GET, HEAD" },
        { "/r/AAAAAAAAAAAAAAAAAAAAAAAA?handler=Fragment", "GET, HEAD" },
        { "/docs", "GET, HEAD" },
        { "/docs/deployment", "GET, HEAD" },
        { $"/s/{SiteFixture.Good}", "GET, HEAD" },
        { "/error", "GET, HEAD" },
        { "/watch", "GET, HEAD, POST" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_answers_405_with_allow_to_every_method_it_does_not_serve(string url, string allow)
    {
        var client = fixture.Site.CreateClient();
        var shared = fixture.Site.Services.GetRequiredService<SharedDiagnoses>();
        var runs = shared.RunsStarted;
        foreach (var method in Methods.Where(m => !allow.Contains(m, StringComparison.Ordinal)))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("server_name=x.example.test") };
            using var response = await client.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {url}: {(int)response.StatusCode}");
            Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
            Assert.Contains("Not available this way", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        Assert.Equal(runs, shared.RunsStarted);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/docs/deployment")]
    [InlineData("/docs")]
    [InlineData("/badge/example.org.svg")]
    public async Task Head_is_served_wherever_get_is(string url)
    {
        using var response = await fixture.Site.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, url), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Other_methods_never_reach_a_page_or_log_an_error_in_the_real_site()
    {
        var data = Path.Combine(Path.GetTempPath(), "matrixtester-methods-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var site = await SiteProcess.StartAsync(new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data,
                ["Serilog__MinimumLevel__Default"] = "Information",
            }, Ct);
            using var client = new HttpClient { BaseAddress = site.BaseAddress };
            var urls = new[] { "/", "/?server_name=example.test", "/r/AAAAAAAAAAAAAAAAAAAAAAAA", "/docs/deployment", "/s/example.test", "/docs" };
            foreach (var url in urls)
            {
                foreach (var method in Methods)
                {
                    using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct);
                    Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {url}: {(int)response.StatusCode}");
                }
            }
            // The request log line of the last request is written after its response: wait for it, then read all.
            const string last = "HTTP PROPFIND /docs responded 405";
            for (var i = 0; i < 100 && !site.Output.Contains(last, StringComparison.Ordinal); i++)
            {
                await Task.Delay(50, Ct);
            }
            var lines = site.Output.Split('\n');
            Assert.Equal(urls.Length * Methods.Length, lines.Count(l => l.Contains("INF]", StringComparison.Ordinal) && l.Contains(" responded 405 in ", StringComparison.Ordinal)));
            Assert.DoesNotContain(lines, l => l.Contains("ERR]", StringComparison.Ordinal) || l.Contains("FTL]", StringComparison.Ordinal) || l.Contains("WRN]", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("Diagnosis of", StringComparison.Ordinal));
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
}
