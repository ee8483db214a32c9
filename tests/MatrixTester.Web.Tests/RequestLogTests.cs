using System.Net;

namespace MatrixTester.Web.Tests;

/// <summary>The request log of the real site process: one line per request, without the query string.</summary>
public sealed class RequestLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_request_is_logged_once_with_its_path_and_status_but_never_its_query_string()
    {
        var data = Path.Combine(Path.GetTempPath(), "matrixtester-requestlog-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var site = await SiteProcess.StartAsync(new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data,
                ["Serilog__MinimumLevel__Default"] = "Information",
            }, Ct);
            using var client = new HttpClient { BaseAddress = site.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/deployment?token=secret-in-query-1", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/no-such-page?server_name=secret-in-query-2.example", Ct)).StatusCode);

            var lines = await WaitForLinesAsync(site, "HTTP GET /no-such-page responded 404");
            Assert.Single(lines, l => l.Contains("HTTP GET /docs/deployment responded 200 in ", StringComparison.Ordinal));
            Assert.Single(lines, l => l.Contains("HTTP GET /no-such-page responded 404 in ", StringComparison.Ordinal));
            Assert.DoesNotContain("secret-in-query", site.Output, StringComparison.Ordinal);
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

    private static async Task<string[]> WaitForLinesAsync(SiteProcess site, string expected)
    {
        // The child writes its log line after the response has gone out: wait for that line.
        await site.OutputContainsAsync(expected, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return site.Output.Split('\n');
    }

    [Theory]
    [InlineData(200, false, "Information")]
    [InlineData(404, false, "Information")]
    [InlineData(429, false, "Information")]
    [InlineData(503, false, "Warning")]
    [InlineData(500, false, "Error")]
    [InlineData(502, false, "Error")]
    [InlineData(503, true, "Error")]
    [InlineData(200, true, "Error")]
    public void A_deliberate_503_is_a_warning_while_other_server_errors_and_exceptions_are_errors(int status, bool threw, string level) =>
        Assert.Equal(level, Hosting.LoggingExtensions.RequestLevel(status, threw ? new InvalidOperationException() : null).ToString());
}
