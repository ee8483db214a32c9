using System.Text.Json;
using MatrixTester.Lab;
using MatrixTester.Lab.Peer;

namespace MatrixTester.Web.Tests.TwoWay;

/// <summary>
/// The two-way check through the real site: its identity and key endpoint (Federation:ServerName, TLS on 8448 in the
/// lab), the lab peer as the target, and what the user gets: the v2 report, the event stream and the page.
/// </summary>
public sealed class TwoWaySiteTests : IAsyncLifetime
{
    private TwoWaySite _site = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Requires.Part(LabPeerRuntime.NodeJs);
        _site = await TwoWaySite.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
            await _site.Lab.DisposeAsync();
        }
    }

    private async Task<JsonElement> ReportAsync(string serverName)
    {
        using var document = JsonDocument.Parse(await _site.Client.GetStringAsync($"/api/v2/report?server_name={serverName}", Ct));
        return document.RootElement.Clone();
    }

    private static string Ids(JsonElement report) =>
        string.Join(", ", report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString())) + " / " + report.GetProperty("twoWay");

    [Fact]
    public async Task A_healthy_target_fetches_the_sites_probe_key_and_the_v2_report_says_it_works()
    {
        var peer = await _site.PeerAsync();
        var report = await ReportAsync(peer.ServerName);
        var twoWay = report.GetProperty("twoWay");
        Assert.True(twoWay.GetProperty("status").GetString() == "Works", Ids(report) + peer.Output);
        Assert.StartsWith("ed25519:p", twoWay.GetProperty("probeKeyId").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, twoWay.GetProperty("signedRequest").GetProperty("status").GetInt32());
        Assert.Equal("M_NOT_FOUND", twoWay.GetProperty("signedRequest").GetProperty("errcode").GetString());
        Assert.Equal("Verified", twoWay.GetProperty("notary").GetProperty("outcome").GetString());
        // The peer refused the same request with a wrong signature: it checks signatures, so its 404 means something.
        var control = twoWay.GetProperty("controlRequest");
        Assert.Equal(("Rejected", 401, "M_UNAUTHORIZED"), (control.GetProperty("outcome").GetString(), control.GetProperty("status").GetInt32(), control.GetProperty("errcode").GetString()));
        Assert.Equal(JsonValueKind.Number, twoWay.GetProperty("unattributedFetches").ValueKind);
        var inbound = twoWay.GetProperty("inbound").EnumerateArray().ToList();
        Assert.NotEmpty(inbound);
        Assert.All(inbound, i =>
        {
            Assert.Equal(peer.EndPoint.Address.ToString(), i.GetProperty("remoteAddress").GetString());
            Assert.Equal("IPv4", i.GetProperty("addressFamily").GetString());
            Assert.Equal(TwoWaySite.Name, i.GetProperty("sni").GetString());
            Assert.StartsWith("/_matrix/key/v2/server", i.GetProperty("path").GetString(), StringComparison.Ordinal);
        });
        Assert.DoesNotContain(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString()!.StartsWith("twoway.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PeerFault.OutboundBlocked, "Broken", "twoway.outbound_blocked")]
    [InlineData(PeerFault.DropsAuthorization, "Broken", "twoway.auth_header_missing")]
    [InlineData(PeerFault.RewritesPath, "Broken", "twoway.request_altered")]
    [InlineData(PeerFault.NoNotary, "Works", "twoway.notary_unsupported")]
    [InlineData(PeerFault.FetchesFromOtherAddress, "Works", "twoway.fetched_via_notary")]
    [InlineData(PeerFault.Stub, "Broken", "twoway.signature_not_checked")]
    public async Task Each_fault_shows_in_the_v2_report_and_on_the_page(PeerFault fault, string status, string id)
    {
        var peer = await _site.PeerAsync(fault);
        var report = await ReportAsync(peer.ServerName);
        Assert.True(report.GetProperty("twoWay").GetProperty("status").GetString() == status, Ids(report) + peer.Output);
        var finding = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString()!.StartsWith("twoway.", StringComparison.Ordinal));
        Assert.Equal(id, finding.GetProperty("id").GetString());
        Assert.StartsWith("two-way#", finding.GetProperty("docs").GetString(), StringComparison.Ordinal);
        // The federation verdict is its own: the peer's hour-long keys are only a warning.
        Assert.NotEqual("Broken", report.GetProperty("verdict").GetProperty("status").GetString());

        // The saved result's page (no JavaScript) shows the chip and the finding.
        var page = await _site.Client.GetDocumentAsync($"/?server_name={peer.ServerName}");
        var chip = page.QuerySelector(".families .chip-two-way")!;
        Assert.Equal($"Two-way: {(status == "Works" ? "works" : "broken")}", chip.TextContent.Trim());
        Assert.Contains(page.QuerySelectorAll(".finding code, .findings code"), c => c.TextContent.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stub_that_answers_404_to_everything_is_not_said_to_work_or_to_have_fetched_our_key()
    {
        var peer = await _site.PeerAsync(PeerFault.Stub);
        var report = await ReportAsync(peer.ServerName);
        var twoWay = report.GetProperty("twoWay");
        Assert.True(twoWay.GetProperty("status").GetString() == "Broken", Ids(report) + peer.Output);
        Assert.Equal(404, twoWay.GetProperty("signedRequest").GetProperty("status").GetInt32());
        Assert.Equal(("Accepted", 404), (twoWay.GetProperty("controlRequest").GetProperty("outcome").GetString(), twoWay.GetProperty("controlRequest").GetProperty("status").GetInt32()));
        Assert.Empty(twoWay.GetProperty("inbound").EnumerateArray());
        Assert.DoesNotContain("fetched our key", twoWay.GetProperty("summary").GetString(), StringComparison.Ordinal);
        // It really fetched nothing, and saw both requests.
        Assert.Empty(peer.Events("key_fetch"));
        Assert.Equal(2, peer.Events("stub").Count(e => (string?)e["path"] == "/_matrix/federation/v1/query/directory"));
    }

    [Fact]
    public async Task The_stream_says_it_is_waiting_then_shows_each_fetch_as_it_happens_then_the_result()
    {
        var peer = await _site.PeerAsync();
        using var response = await _site.Client.GetAsync($"/api/v2/stream?server_name={peer.ServerName}", HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = new List<Sse>();
        await foreach (var e in Sse.ReadAsync(response))
        {
            events.Add(e);
        }
        var kinds = events.Select(e => e.Event).ToList();
        var waiting = kinds.IndexOf("two-way-waiting");
        var fetched = kinds.IndexOf("two-way-inbound");
        var result = kinds.IndexOf("two-way");
        Assert.True(waiting >= 0 && fetched > waiting && result > fetched && kinds.IndexOf("completed") > result, string.Join(", ", kinds));
        Assert.Equal("Waiting for your server to contact us…", events[waiting].Data.GetProperty("summary").GetString());
        Assert.Matches($"^Your server fetched our key from {peer.EndPoint.Address} over IPv4 \\(.+\\) after \\d+ ms$", events[fetched].Data.GetProperty("summary").GetString());
        Assert.Equal("Works", events[result].Data.GetProperty("twoWay").GetProperty("status").GetString());
        Assert.All(events.Where(e => e.Event != "permalink"), e => Assert.Equal(e.Event, e.Data.GetProperty("kind").GetString()));

        // The permalink page shows the same fetch lines and the chip, without JavaScript.
        var id = events.Single(e => e.Event == "permalink").Data.GetProperty("id").GetString();
        var permalink = await _site.Client.GetDocumentAsync($"/r/{id}");
        Assert.Equal("Two-way: works", permalink.QuerySelector(".chip-two-way")!.TextContent.Trim());
        Assert.Contains(permalink.QuerySelectorAll(".two-way-fetches li"), li => li.TextContent.StartsWith($"Your server fetched our key from {peer.EndPoint.Address} over IPv4", StringComparison.Ordinal));
        Assert.Equal("The same request with a wrong signature was refused (401 M_UNAUTHORIZED): your server checks signatures.", permalink.QuerySelector(".two-way-control")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_compatible_report_keeps_the_reference_format_without_two_way_fields()
    {
        var peer = await _site.PeerAsync(PeerFault.OutboundBlocked);
        var json = await _site.Client.GetStringAsync($"/api/report?server_name={peer.ServerName}", Ct);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(["ConnectionErrors", "ConnectionReports", "DNSResult", "FederationOK", "Version", "WellKnownResult"],
            document.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("twoway", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("probe", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_second_diagnosis_of_the_same_target_within_a_minute_reuses_the_probe()
    {
        var peer = await _site.PeerAsync();
        var first = await ReportAsync(peer.ServerName);
        var second = await ReportAsync(peer.ServerName);
        var id = first.GetProperty("twoWay").GetProperty("probeKeyId").GetString();
        Assert.NotNull(id);
        Assert.Equal(id, second.GetProperty("twoWay").GetProperty("probeKeyId").GetString());
        Assert.Equal("Works", second.GetProperty("twoWay").GetProperty("status").GetString());
        Assert.False(first.GetProperty("twoWay").GetProperty("probeReused").GetBoolean());
        Assert.True(second.GetProperty("twoWay").GetProperty("probeReused").GetBoolean());
    }

    [Fact]
    public async Task A_site_without_a_server_name_reports_the_check_as_not_configured_and_says_how_to_enable_it()
    {
        var peer = await _site.PeerAsync();
        await using var plain = new SiteFactory(_site.Lab, Path.Combine(Path.GetTempPath(), "matrixtester-twoway-" + Guid.NewGuid().ToString("N")));
        using var client = KestrelSite.Start(plain);
        using var document = JsonDocument.Parse(await client.GetStringAsync($"/api/v2/report?server_name={peer.ServerName}", Ct));
        var report = document.RootElement;
        Assert.Equal("NotConfigured", report.GetProperty("twoWay").GetProperty("status").GetString());
        var finding = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "twoway.not_configured");
        Assert.Equal("Info", finding.GetProperty("severity").GetString());
        Assert.Contains("Federation:ServerName", finding.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal("two-way#not-configured", finding.GetProperty("docs").GetString());
        // Said once, in the notes (and the docs), not as a chip and a section on every result of such a site.
        var page = await client.GetDocumentAsync($"/?server_name={peer.ServerName}");
        Assert.Null(page.QuerySelector(".chip-two-way"));
        Assert.Null(page.QuerySelector("#two-way"));
        Assert.Contains(page.QuerySelectorAll(".notes .finding-id"), c => c.TextContent == "twoway.not_configured");
    }
}
