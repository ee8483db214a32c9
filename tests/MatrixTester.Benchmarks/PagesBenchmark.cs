using System.Diagnostics;
using MatrixTester.Web.Docs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MatrixTester.Benchmarks;

internal sealed record PagesResult(string Path, int Requests, double Seconds, int Bytes)
{
    public double PerSecond => Requests / Seconds;
}

/// <summary>
/// Requests per second for a rendered docs page and a static file, served by the same site through the ASP.NET Core
/// test server (in memory, no sockets: the comparison is of the site's own work per request).
/// </summary>
internal static class PagesBenchmark
{
    public static async Task<IReadOnlyList<PagesResult>> RunAsync(TimeSpan duration, int concurrency)
    {
        var data = Directory.CreateTempSubdirectory("matrixtester-bench-");
        // The factory looks for the site's content root beside the solution; ours lives under src/.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "MatrixTester.sln")))
        {
            root = root.Parent;
        }
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_MATRIXTESTER_WEB",
            Path.Combine(root?.FullName ?? Directory.GetCurrentDirectory(), "src", "MatrixTester.Web"));
        try
        {
            // Any public type of the site's assembly works as the entry point marker (this program has its own Program).
            await using var site = new WebApplicationFactory<DocsLibrary>().WithWebHostBuilder(b =>
            {
                b.UseEnvironment("Production");
                b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Storage:DataDirectory"] = data.FullName,
                    ["Serilog:MinimumLevel:Default"] = "Warning",
                }));
            });
            using var client = site.CreateClient();
            var results = new List<PagesResult>();
            foreach (var path in new[] { "/docs/delegation", "/css/site.css" })
            {
                results.Add(await MeasureAsync(client, path, duration, concurrency));
            }
            return results;
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<PagesResult> MeasureAsync(HttpClient client, string path, TimeSpan duration, int concurrency)
    {
        var size = (await FetchAsync(client, path)).Length; // warm: first render fills the cache
        var clock = Stopwatch.StartNew();
        var count = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                await FetchAsync(client, path);
                Interlocked.Increment(ref count);
            }
        }));
        return new PagesResult(path, count, clock.Elapsed.TotalSeconds, size);
    }

    private static async Task<byte[]> FetchAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
