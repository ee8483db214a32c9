using System.Net;
using MatrixTester.Lab;
using MatrixTester.Lab.Delay;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Benchmarks;

/// <summary>
/// One latency scenario: how to build it in a lab whose every TCP connection and DNS answer pays
/// <c>oneWay</c> each way, and the round trips a diagnosis cannot avoid (DNS query, TCP connect, TLS 1.3
/// handshake and HTTP request = 1 each; independent work in parallel).
/// </summary>
internal sealed record Scenario(string Name, int MinimumRoundTrips, string Why, Func<FederationLab, TimeSpan, bool, Task> BuildAsync)
{
    public const string ServerName = "example.test";
    private const string Delegated = "matrix.example.test";
    private static readonly LabSigningKey Key = LabSigningKey.Create("ed25519:bench");

    /// <summary>Set for the dead-address scenario: the connect timeout dominates and is reported separately.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("well-known -> host:443", 8,
            "A(name) + TCP + TLS + GET well-known, then A(host) + TCP + TLS + both federation GETs; client API in parallel",
            async (lab, d, h2) =>
            {
                var web = FederationLab.NewAddress();
                var hs = FederationLab.NewAddress();
                lab.Zone.A(ServerName, web.ToString()).A(Delegated, hs.ToString());
                await WebAsync(lab, new IPEndPoint(web, 443), d, h2, $"{Delegated}:443", $"https://{Delegated}");
                await HomeserverAsync(lab, new IPEndPoint(hs, 443), d, h2, Delegated);
            }),
        new("no well-known (404) + _matrix-fed SRV", 5,
            "SRV + A(target) + TCP + TLS (while well-known 404s in 4) + both federation GETs",
            async (lab, d, h2) =>
            {
                var web = FederationLab.NewAddress();
                var hs = FederationLab.NewAddress();
                lab.Zone.A(ServerName, web.ToString()).Srv($"_matrix-fed._tcp.{ServerName}", "hs.example.test", 8448).A("hs.example.test", hs.ToString());
                await WebAsync(lab, new IPEndPoint(web, 443), d, h2, null, null);
                await HomeserverAsync(lab, new IPEndPoint(hs, 8448), d, h2, ServerName);
            }),
        new("well-known without port + SRV", 9,
            "well-known in 4, then SRV(host) + A(target) + TCP + TLS + both federation GETs",
            async (lab, d, h2) =>
            {
                var web = FederationLab.NewAddress();
                var hs = FederationLab.NewAddress();
                lab.Zone.A(ServerName, web.ToString()).A(Delegated, hs.ToString())
                    .Srv($"_matrix-fed._tcp.{Delegated}", "hs.example.test", 8448).A("hs.example.test", hs.ToString());
                await WebAsync(lab, new IPEndPoint(web, 443), d, h2, Delegated, $"https://{Delegated}:8448");
                await HomeserverAsync(lab, new IPEndPoint(hs, 8448), d, h2, Delegated);
            }),
        new("dual stack, 2 addresses each", 8,
            "as host:443, every address of each host probed in parallel",
            async (lab, d, h2) =>
            {
                var web = FederationLab.NewAddress();
                var hs = FederationLab.NewAddress();
                lab.Zone.A(ServerName, web.ToString()).Aaaa(ServerName, "::1").A(Delegated, hs.ToString()).Aaaa(Delegated, "::1");
                await WebAsync(lab, new IPEndPoint(web, 443), d, h2, $"{Delegated}:8448", $"https://{Delegated}:8448");
                await WebAsync(lab, new IPEndPoint(IPAddress.IPv6Loopback, 443), d, h2, $"{Delegated}:8448", $"https://{Delegated}:8448");
                await HomeserverAsync(lab, new IPEndPoint(hs, 8448), d, h2, Delegated);
                await HomeserverAsync(lab, new IPEndPoint(IPAddress.IPv6Loopback, 8448), d, h2, Delegated);
            }),
        new("dead IPv6 address", 8,
            "IPv4 results as host:443; the verdict waits for the connect timeout on the dead address (5 RTT + timeout)",
            async (lab, d, h2) =>
            {
                var web = FederationLab.NewAddress();
                var hs = FederationLab.NewAddress();
                lab.Zone.A(ServerName, web.ToString()).A(Delegated, hs.ToString()).Aaaa(Delegated, "::1");
                await WebAsync(lab, new IPEndPoint(web, 443), d, h2, $"{Delegated}:8448", $"https://{Delegated}:8448");
                await HomeserverAsync(lab, new IPEndPoint(hs, 8448), d, h2, Delegated);
                lab.Silent(new IPEndPoint(IPAddress.IPv6Loopback, 8448));
            })
        {
            ConnectTimeout = TimeSpan.FromSeconds(1),
        },
        // Moved here from HostileServerTests ("rejected quickly"): how fast a hostile answer is refused is a measurement.
        new("hostile: key response nested 100000 deep", 8,
            "as host:443; the key response is [[[…]]] 100000 deep and is refused at the depth cap: parsing must add no time",
            async (lab, d, h2) =>
            {
                var web = FederationLab.NewAddress();
                var hs = FederationLab.NewAddress();
                lab.Zone.A(ServerName, web.ToString()).A(Delegated, hs.ToString());
                await WebAsync(lab, new IPEndPoint(web, 443), d, h2, $"{Delegated}:443", $"https://{Delegated}");
                var deep = new string('[', 100_000) + new string(']', 100_000);
                await lab.DelayedHttpsAsync(new IPEndPoint(hs, 443), d, lab.Pki.Issue(Delegated),
                    routes => routes.Homeserver(ServerName, Key).ClientApi().Json("/_matrix/key/v2/server", deep), h2);
            }),
    ];

    /// <summary>The server name's web server: server and client well-known files (404 when null) and the support file.</summary>
    private static async Task WebAsync(FederationLab lab, IPEndPoint at, TimeSpan d, bool h2, string? mServer, string? baseUrl) =>
        await lab.DelayedHttpsAsync(at, d, lab.Pki.Issue(ServerName), routes =>
        {
            if (mServer is not null)
            {
                routes.Delegate(mServer);
            }
            if (baseUrl is not null)
            {
                routes.ClientWellKnown(baseUrl);
            }
            routes.Json("/.well-known/matrix/support", """{"contacts": [{"role": "m.role.admin", "matrix_id": "@admin:example.test"}]}""");
        }, h2);

    private static async Task HomeserverAsync(FederationLab lab, IPEndPoint at, TimeSpan d, bool h2, string certificateName) =>
        await lab.DelayedHttpsAsync(at, d, lab.Pki.Issue(certificateName), routes => routes.Homeserver(ServerName, Key).ClientApi(), h2);
}
