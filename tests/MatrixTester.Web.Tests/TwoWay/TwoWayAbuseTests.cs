using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using MatrixTester.Lab.Peer;
using MatrixTester.Web.Tests.Federation;

namespace MatrixTester.Web.Tests.TwoWay;

/// <summary>
/// The two-way check against abuse, through the real site, real TLS and the lab peer: one client cannot take every
/// probe; a third party fetching our keys during someone's check neither changes its verdict nor gets its words into
/// the report.
/// </summary>
public sealed partial class TwoWayAbuseTests : IAsyncLifetime
{
    private const string PollerAgent = "ThirdPartyPoller/6.6 <b>not-the-target</b>";
    private TwoWaySite _site = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Requires.Part(LabPeerRuntime.NodeJs);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
            await _site.Lab.DisposeAsync();
        }
    }

    private async Task<JsonElement> ReportAsync(HttpClient client, string serverName)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync($"/api/v2/report?server_name={serverName}", Ct));
        return document.RootElement.Clone();
    }

    /// <summary>A homeserver whose keys verify (so the two-way check runs and takes a probe) on name:8448.</summary>
    private async Task<string> HomeserverAsync(string name)
    {
        var address = FederationLab.NewAddress();
        _site.Lab.Zone.A(name, address.ToString());
        await _site.Lab.HttpsAsync(address, 8448, _site.Lab.Pki.Issue(name), r => r.Homeserver(name, LabSigningKey.Create()));
        return name;
    }

    [GeneratedRegex("frees up within (\\d+) seconds$")]
    private static partial Regex FreesUp();

    [Fact]
    public async Task One_client_filling_its_share_of_probes_leaves_another_clients_check_its_probe_and_is_told_when_one_frees_up()
    {
        _site = await TwoWaySite.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Federation:MaxActiveProbes"] = "3",
            ["Federation:MaxActiveProbesPerClient"] = "2",
        });
        var peer = await _site.PeerAsync();
        using var greedy = ClientFrom.Create(FederationLab.NewAddress(), _site.BaseAddress);
        using var other = ClientFrom.Create(FederationLab.NewAddress(), _site.BaseAddress);
        using var third = ClientFrom.Create(FederationLab.NewAddress(), _site.BaseAddress);

        foreach (var name in new[] { "one.greedy.test", "two.greedy.test" })
        {
            var taken = (await ReportAsync(greedy, await HomeserverAsync(name))).GetProperty("twoWay");
            Assert.StartsWith("ed25519:p", taken.GetProperty("probeKeyId").GetString(), StringComparison.Ordinal);
        }
        var refused = (await ReportAsync(greedy, await HomeserverAsync("three.greedy.test"))).GetProperty("twoWay");
        Assert.Equal("Skipped", refused.GetProperty("status").GetString());
        var summary = refused.GetProperty("summary").GetString()!;
        Assert.StartsWith("Skipped: the address that asked for this test already has 2 two-way checks running, the most one address may have at once; one of them frees up within ", summary, StringComparison.Ordinal);
        // Both checks are over: their probes are served only to the end of their minute, not for five.
        Assert.InRange(int.Parse(FreesUp().Match(summary).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 60);

        var works = await ReportAsync(other, peer.ServerName);
        Assert.True(works.GetProperty("twoWay").GetProperty("status").GetString() == "Works", works.GetProperty("twoWay") + peer.Output);

        // Now every probe is taken: the next visitor is told so, and when the first one frees up.
        var full = (await ReportAsync(third, await HomeserverAsync("four.other.test"))).GetProperty("twoWay").GetProperty("summary").GetString()!;
        Assert.StartsWith("Skipped: all 3 two-way probes of this tester are in use; the next one frees up within ", full, StringComparison.Ordinal);
        Assert.InRange(int.Parse(FreesUp().Match(full).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Theory]
    [InlineData(PeerFault.OutboundBlocked, "Broken", "twoway.outbound_blocked")]
    [InlineData(PeerFault.None, "Works", null)]
    public async Task A_third_party_polling_our_key_endpoint_during_a_check_changes_nothing_in_its_report(PeerFault fault, string status, string? finding)
    {
        // No rate limit on our key endpoint for this test: the poller gets every fetch it asks for.
        _site = await TwoWaySite.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Federation:RateLimit:TokenLimit"] = "100000",
            ["Federation:RateLimit:TokensPerPeriod"] = "100000",
        });
        var peer = await _site.PeerAsync(fault);
        var stranger = FederationLab.NewAddress();
        using var poller = FederationTlsTests.PeerClient(stranger, _site.FederationAddress, _site.Lab.Pki.Root);
        poller.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", PollerAgent);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var polls = 0;
        var firstPoll = new TaskCompletionSource();
        var polling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await poller.GetAsync($"https://{TwoWaySite.Name}:8448/_matrix/key/v2/server", stop.Token);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref polls);
                firstPoll.TrySetResult();
            }
        }, CancellationToken.None);
        await firstPoll.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        using var response = await _site.Client.GetAsync($"/api/v2/report?server_name={peer.ServerName}", Ct);
        var json = await response.Content.ReadAsStringAsync(Ct);
        await stop.CancelAsync();
        try
        {
            await polling;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        var page = await _site.Client.GetStringAsync($"/r/{response.Headers.GetValues("X-Result-Id").Single()}", Ct);

        using var document = JsonDocument.Parse(json);
        var twoWay = document.RootElement.GetProperty("twoWay");
        Assert.True(twoWay.GetProperty("status").GetString() == status, twoWay + peer.Output);
        var ids = document.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Where(id => id!.StartsWith("twoway.", StringComparison.Ordinal));
        Assert.Equal(finding is null ? [] : [finding], ids);
        // Only the target's own fetches are listed; the poller's are counted, never quoted.
        Assert.All(twoWay.GetProperty("inbound").EnumerateArray(), i => Assert.Equal(peer.EndPoint.Address.ToString(), i.GetProperty("remoteAddress").GetString()));
        Assert.Equal(fault == PeerFault.None, twoWay.GetProperty("inbound").GetArrayLength() > 0);
        Assert.InRange(twoWay.GetProperty("unattributedFetches").GetInt32(), 1, Volatile.Read(ref polls));
        Assert.Matches("^(One other fetch|[0-9]+ other fetches) of our keys arrived during the check", new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page).QuerySelector(".two-way-unattributed")!.TextContent.Trim());
        foreach (var text in new[] { json, page })
        {
            Assert.DoesNotContain(stranger.ToString(), text, StringComparison.Ordinal);
            Assert.DoesNotContain("ThirdPartyPoller", text, StringComparison.Ordinal);
        }
    }
}
