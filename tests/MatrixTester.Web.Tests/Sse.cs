using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests;

/// <summary>One server-sent event with its JSON data.</summary>
internal sealed record Sse(string Event, JsonElement Data)
{
    public static async IAsyncEnumerable<Sse> ReadAsync(HttpResponseMessage response)
    {
        var ct = TestContext.Current.CancellationToken;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        string? type = null;
        string? data = null;
        while (await reader.ReadLineAsync(ct) is { } line)
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
}

internal static class KestrelSite
{
    /// <summary>Starts the factory on a real loopback port (so the connection has a client address) and returns a client for it.</summary>
    public static HttpClient Start(SiteFactory site)
    {
        site.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        site.StartServer();
        var address = site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address) };
    }
}
