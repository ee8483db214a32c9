using System.Net;
using MatrixTester.Diagnostics;
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

    /// <summary>Engine settings for this scenario (short timeouts where a timeout dominates).</summary>
    public Action<DiagnosisOptions>? Configure { get; init; }

    /// <summary>Where a timeout dominates: the least time the final verdict can take, from the round trip (ms), and why.</summary>
    public (Func<double, double> Minimum, string Why)? Verdict { get; init; }

    /// <summary>No healthy address at all: only the verdict is timed (no "other results" row).</summary>
    public bool WorstCase { get; init; }

    private static readonly TimeSpan WorstConnectTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WorstRequestTimeout = TimeSpan.FromSeconds(1);

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
            Configure = o => o.ConnectTimeout = WorstConnectTimeout,
            Verdict = (rtt => 5 * rtt + WorstConnectTimeout.TotalMilliseconds, $"5 RTT + {WorstConnectTimeout.TotalSeconds:0.#} s connect timeout"),
        },
        new("worst case: blackholed server", 1,
            "every packet to the server name's address is dropped: well-known on 443 and the fallback on 8448 both wait out the connect timeout",
            async (lab, d, h2) =>
            {
                var dead = FederationLab.NewAddress();
                lab.Zone.A(ServerName, dead.ToString());
                await lab.BlackholeAsync(new IPEndPoint(dead, 443));
                await lab.BlackholeAsync(new IPEndPoint(dead, 8448));
            })
        {
            Configure = o => (o.ConnectTimeout, o.RequestTimeout) = (WorstConnectTimeout, WorstRequestTimeout),
            Verdict = (rtt => rtt + WorstConnectTimeout.TotalMilliseconds, $"A/SRV (1 RTT) + one {WorstConnectTimeout.TotalSeconds:0.#} s connect timeout"),
            WorstCase = true,
        },
        new("worst case: dripping well-known", 4,
            "well-known on 443 trickles one byte every 100 ms forever; port 8448 of the same address serves the homeserver",
            async (lab, d, h2) =>
            {
                var web = FederationLab.NewAddress();
                lab.Zone.A(ServerName, web.ToString());
                await lab.DelayedHttpsAsync(new IPEndPoint(web, 443), d, lab.Pki.Issue(ServerName), routes => routes
                    .Drip("/.well-known/matrix/server", TimeSpan.FromMilliseconds(100))
                    .Drip("/.well-known/matrix/client", TimeSpan.FromMilliseconds(100))
                    .Drip("/.well-known/matrix/support", TimeSpan.FromMilliseconds(100)), h2);
                await HomeserverAsync(lab, new IPEndPoint(web, 8448), d, h2, ServerName);
            })
        {
            Configure = o => (o.ConnectTimeout, o.RequestTimeout) = (WorstConnectTimeout, WorstRequestTimeout),
            Verdict = (rtt => 4 * rtt + WorstRequestTimeout.TotalMilliseconds,
                $"A + TCP + TLS (3 RTT) + one {WorstRequestTimeout.TotalSeconds:0.#} s request timeout + the federation GETs (1 RTT)"),
            WorstCase = true,
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
