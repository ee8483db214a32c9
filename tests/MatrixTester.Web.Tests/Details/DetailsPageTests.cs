using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using static MatrixTester.Web.Tests.Details.DetailScenarios;

namespace MatrixTester.Web.Tests.Details;

/// <summary>
/// The technical details as designed tables and the facts at a glance, in the server-rendered permalink: what dig
/// would show, the SRV records and which one peers use, the certificate chain and its anchor, the keys and their
/// signatures, each request; software, client API, support contacts and SRV records at the top.
/// </summary>
public sealed class DetailsPageTests(DetailsFixture fixture) : IClassFixture<DetailsFixture>
{
    private async Task<IHtmlDocument> PermalinkAsync(string name) => await fixture.Client.GetDocumentAsync(await fixture.PermalinkAsync(name));

    private static Dictionary<string, IElement> Facts(IHtmlDocument page) =>
        page.QuerySelectorAll("#report .glance-fact").ToDictionary(f => f.QuerySelector("dt")!.TextContent, f => f.QuerySelector("dd")!);

    private static List<string> Items(IElement fact) => [.. fact.QuerySelectorAll("li").Select(li => li.TextContent)];

    private static List<List<string>> Rows(IElement table) =>
        [.. table.QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList())];

    [Fact]
    public async Task A_healthy_server_shows_its_software_srv_records_client_api_and_support_contacts_at_a_glance()
    {
        var facts = Facts(await PermalinkAsync(Healthy));
        Assert.Equal(["Server software", "SRV records", "Client-server API", "Support contacts"], facts.Keys);
        Assert.Equal("Synapse 1.140.0", facts["Server software"].QuerySelector(".glance-text")!.TextContent);
        Assert.Equal($"_matrix-fed._tcp.hs.{Healthy}", facts["SRV records"].QuerySelector(".glance-text")!.TextContent);
        Assert.Equal([$"fed.{Healthy}:8448 (priority 10, weight 5; tried first)"], Items(facts["SRV records"]));
        Assert.Equal($"up to v1.12 (3 versions listed) at https://hs.{Healthy}:8448", facts["Client-server API"].QuerySelector(".glance-text")!.TextContent);
        Assert.Equal(["unstable feature: simplified sliding sync (MSC4186)", "unstable feature: authenticated media (MSC3916)"], Items(facts["Client-server API"]));
        Assert.Equal("2 contacts and a support page", facts["Support contacts"].QuerySelector(".glance-text")!.TextContent);
        Assert.Equal([$"Administrator: @admin:{Healthy}, admin@{Healthy}", $"Security contact: security@{Healthy}", $"Support page: https://{Healthy}/support"],
            Items(facts["Support contacts"]));
    }

    [Fact]
    public async Task Software_that_differs_by_address_is_named_per_address()
    {
        var facts = Facts(await PermalinkAsync(Mixed));
        var software = facts["Server software"];
        Assert.Equal("differs by address", software.QuerySelector(".glance-text")!.TextContent);
        var items = Items(software);
        Assert.Equal(2, items.Count);
        Assert.Contains(items, i => i.StartsWith("Synapse 1.140.0 on 127.", StringComparison.Ordinal));
        Assert.Contains(items, i => i.StartsWith("Synapse 1.139.2 on 127.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_a_run_past_its_time_limit_did_not_reach_is_not_checked_rather_than_failed()
    {
        var facts = Facts(await PermalinkAsync(TimedOut));
        Assert.Equal("not checked: no address was tested", facts["Server software"].QuerySelector(".glance-text")!.TextContent);
        Assert.Equal("not checked: the client files did not answer within the time limit", facts["Client-server API"].QuerySelector(".glance-text")!.TextContent);
        Assert.Equal("not checked: the tester did not get as far as the support file", facts["Support contacts"].QuerySelector(".glance-text")!.TextContent);
    }

    [Fact]
    public async Task A_client_base_url_that_refuses_connections_shows_no_versions_and_no_contacts_are_published()
    {
        var facts = Facts(await PermalinkAsync(ClientBroken));
        Assert.Equal($"no versions read from https://chat.{ClientBroken}", facts["Client-server API"].QuerySelector(".glance-text")!.TextContent);
        Assert.Equal("none published (the support file is optional)", facts["Support contacts"].QuerySelector(".glance-text")!.TextContent);
    }

    [Fact]
    public async Task Dns_answers_are_shown_as_dig_shows_them()
    {
        var page = await PermalinkAsync(Healthy);
        var dns = page.QuerySelector("#detail-discovery table.dt-dns")!;
        var rows = Rows(dns);
        // Name, type, TTL, data; the first row of each query also has its status, name server and time.
        var srv = Assert.Single(rows, r => r[0] == $"_matrix-fed._tcp.hs.{Healthy}");
        Assert.Equal([$"_matrix-fed._tcp.hs.{Healthy}", "SRV", "300", $"10 5 8448 fed.{Healthy}", "NOERROR"], srv.Take(5));
        Assert.Matches(@"^127\.0\.0\.\d+:\d+$", srv[5]);
        Assert.Matches(@"^\d+(\.\d)? ms$", srv[6]);
        Assert.Contains(rows, r => r.Take(2).SequenceEqual([$"fed.{Healthy}", "A"]) && r[3].StartsWith("127.", StringComparison.Ordinal));
        // A query without records says so, with its status: no AAAA record for the healthy name, no deprecated SRV name.
        Assert.Contains(rows, r => r.Take(5).SequenceEqual([Healthy, "AAAA", "—", "no records", "NOERROR"]));
        Assert.Contains(rows, r => r.Take(5).SequenceEqual([$"_matrix._tcp.hs.{Healthy}", "SRV", "—", "no such name", "NXDOMAIN"]));
    }

    [Fact]
    public async Task The_srv_records_say_which_target_peers_use()
    {
        var page = await PermalinkAsync(Healthy);
        Assert.Contains($"SRV records: _matrix-fed._tcp.hs.{Healthy}", page.QuerySelectorAll("#detail-discovery h3.dt-title").Select(h => h.TextContent));
        var row = Assert.Single(Rows(page.QuerySelector("#detail-discovery table.dt-srv")!));
        Assert.Equal(["10", "5", "8448", $"fed.{Healthy}"], row.Take(4));
        Assert.StartsWith("127.", row[4], StringComparison.Ordinal);
        Assert.Equal("tried first", row[5]);
        var endpoint = Assert.Single(Rows(page.QuerySelector("#detail-discovery table.dt-endpoints")!));
        Assert.Equal($"hs.{Healthy}", endpoint[1]);
        Assert.Equal($"hs.{Healthy}", endpoint[2]);
        Assert.StartsWith("3.3: ", endpoint[3], StringComparison.Ordinal);
        Assert.Contains($"through the SRV target fed.{Healthy}", endpoint[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_certificate_chain_names_the_anchor_it_chains_to_and_an_expired_certificate_stands_out()
    {
        var healthy = await PermalinkAsync(Healthy);
        var facts = healthy.QuerySelectorAll("#detail-conn-0 .dt-facts div").ToDictionary(d => d.QuerySelector("dt")!.TextContent, d => d.QuerySelector("dd")!.TextContent);
        Assert.Equal("CN=MatrixTester Lab Root CA, O=MatrixTester Lab, a trusted root", facts["Chains to"]);
        Assert.Equal($"hs.{Healthy}: the certificate covers it", facts["Must be valid for"]);
        Assert.Equal($"hs.{Healthy}", facts["SNI sent"]);
        var chain = Rows(healthy.QuerySelector("#detail-conn-0 table.dt-certs")!);
        Assert.Equal(["Server certificate", "Intermediate"], chain.Select(r => r[0]));
        Assert.Equal([$"hs.{Healthy}", "MatrixTester Lab Intermediate CA", $"hs.{Healthy}"], chain[0].Skip(1).Take(3));
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", chain[0][5]);

        var broken = await PermalinkAsync(Broken);
        var leaf = Rows(broken.QuerySelector("#detail-conn-0 table.dt-certs")!)[0];
        Assert.EndsWith("(not valid at the time of the test)", leaf[4], StringComparison.Ordinal);
        Assert.NotNull(broken.QuerySelector("#detail-conn-0 table.dt-certs td.dt-bad-cell"));
    }

    [Fact]
    public async Task The_keys_say_until_when_and_whether_their_signature_verifies()
    {
        var page = await PermalinkAsync(Healthy);
        var key = Assert.Single(Rows(page.QuerySelector("#detail-conn-0 table.dt-keys")!));
        Assert.StartsWith("ed25519:", key[0], StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9+/]{43}$", key[1]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d UTC$", key[2]);
        Assert.Equal("verifies", key[3]);
    }

    [Fact]
    public async Task Each_request_shows_method_url_address_host_sni_answer_and_time()
    {
        var page = await PermalinkAsync(Healthy);
        var rows = Rows(page.QuerySelector("#detail-conn-0 table.dt-requests")!);
        var keys = Assert.Single(rows, r => r[0].EndsWith("/_matrix/key/v2/server", StringComparison.Ordinal));
        Assert.Equal($"GET https://hs.{Healthy}/_matrix/key/v2/server", keys[0]);
        Assert.Matches(@"^127\.\d+\.\d+\.\d+:8448$", keys[1]);
        Assert.Equal([$"hs.{Healthy}", $"hs.{Healthy}", "200 OK"], keys.Skip(2).Take(3));
        Assert.Matches(@"^\d+(\.\d)? ms", keys[5]);

        var wellKnown = Assert.Single(Rows(page.QuerySelector("#detail-discovery table.dt-requests")!));
        Assert.Equal($"GET https://{Healthy}/.well-known/matrix/server", wellKnown[0]);
        Assert.Equal([Healthy, Healthy, "200 OK"], wellKnown.Skip(2).Take(3));
    }

    [Fact]
    public async Task Every_part_has_its_raw_json_one_click_away_and_no_generic_object_dump_is_left()
    {
        var permalink = await fixture.PermalinkAsync(Healthy);
        var page = await fixture.Client.GetDocumentAsync(permalink);
        Assert.Empty(page.QuerySelectorAll(".json-obj, .json-pair, .json-branch"));
        using var stored = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/api/v2/results/{permalink[3..]}", TestContext.Current.CancellationToken));
        var root = stored.RootElement;
        var pairs = new (string Block, JsonElement Section)[]
        {
            ("#detail-discovery", root.GetProperty("discovery")),
            ("#detail-conn-0", root.GetProperty("connections")[0]),
            ("#detail-client", root.GetProperty("client")),
            ("#detail-two-way", root.GetProperty("twoWay")),
        };
        foreach (var (block, section) in pairs)
        {
            var raw = page.QuerySelector($"{block} details.raw-json")!;
            Assert.Equal("Raw JSON", raw.QuerySelector("summary")!.TextContent);
            using var shown = JsonDocument.Parse(raw.QuerySelector("pre")!.TextContent);
            Assert.True(JsonElement.DeepEquals(section, shown.RootElement), $"{block}: the raw JSON differs from the stored report");
        }
    }
}
