using System.Net;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The console log of the real site process, fed a path and a server name that carry a line feed, a fake log
/// prefix and terminal escapes: every value stays on its own log line, with the control characters shown escaped.
/// </summary>
public sealed class LogInjectionTests
{
    private const string Forged = "[12:00:00 ERR] forged";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_path_or_server_name_with_a_line_feed_and_escapes_cannot_forge_a_log_line()
    {
        var data = Path.Combine(Path.GetTempPath(), "matrixtester-loginjection-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var site = await SiteProcess.StartAsync(new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data,
                ["Serilog__MinimumLevel__Default"] = "Information",
            }, Ct);
            using var client = new HttpClient { BaseAddress = site.BaseAddress };
            var injected = Uri.EscapeDataString($"x\n{Forged}\u001b[2J\r");
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/no-such-{injected}", Ct)).StatusCode);
            // An invalid name still gets a report, and the diagnosis line names what was asked.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v2/report?server_name={injected}", Ct)).StatusCode);

            const string Escaped = "x\\u000a[12:00:00 ERR] forged\\u001b[2J\\u000d";
            var output = await WaitForAsync(site, $"Diagnosis of {Escaped}");
            Assert.Contains($"HTTP GET /no-such-{Escaped} responded 404", output, StringComparison.Ordinal);
            Assert.DoesNotContain(output.Split('\n'), l => l.StartsWith(Forged, StringComparison.Ordinal));
            Assert.DoesNotContain('\u001b', output);
            Assert.DoesNotContain('\r', output);
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

    private static async Task<string> WaitForAsync(SiteProcess site, string expected)
    {
        // The child writes its log line after the response has gone out; give its stdout a moment to arrive.
        for (var i = 0; i < 100 && !site.Output.Contains(expected, StringComparison.Ordinal); i++)
        {
            await Task.Delay(50, Ct);
        }
        Assert.True(site.Output.Contains(expected, StringComparison.Ordinal), $"no \"{expected}\" in:\n{site.Output}");
        return site.Output;
    }
}
