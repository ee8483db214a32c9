using System.Collections.Concurrent;
using System.Text.Json;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.LoadBench;

/// <summary>
/// Many distinct healthy servers on two lab hosts: <c>s{i}.bench.test</c> all point at one .well-known host that
/// delegates each name to <c>hs-s{i}.bench.test:8448</c>, and those all point at one homeserver host that signs
/// keys for whichever name its Host header asks for. A wildcard certificate covers every name. Each diagnosis is a
/// full, distinct run (no sharing), while the lab stays two Kestrel hosts.
/// </summary>
internal static class BenchLab
{
    public static string Name(int i) => $"s{i}.bench.test";

    public static async Task<FederationLab> StartAsync(int targets)
    {
        var lab = await FederationLab.StartAsync();
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        for (var i = 0; i < targets; i++)
        {
            lab.Zone.A(Name(i), web.ToString());
            lab.Zone.A("hs-" + Name(i), hs.ToString());
        }
        var certificate = lab.Pki.Issue("*.bench.test");
        await lab.HttpsAsync(web, 443, certificate, r => r.Map("/.well-known/matrix/server", context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["m.server"] = $"hs-{context.Request.Host.Host}:8448" }));
        }));
        var key = LabSigningKey.Create();
        var responses = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await lab.HttpsAsync(hs, 8448, certificate, r => r
            .Json("/_matrix/federation/v1/version", """{"server": {"name": "Synapse", "version": "1.140.0"}}""")
            .Map("/_matrix/key/v2/server", context =>
            {
                var serverName = context.Request.Host.Host["hs-".Length..];
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(responses.GetOrAdd(serverName, n => key.KeyResponse(n, DateTimeOffset.UtcNow.AddDays(1))));
            }));
        return lab;
    }
}
