using System.Net;
using System.Security.Cryptography;
using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;

namespace MatrixTester.Web.Tests.History;

/// <summary>The verdict picture, the Atom feed and comparisons, against a lab server that breaks and recovers.</summary>
public sealed class HistoryTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<string> RunAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync($"/api/v2/report?server_name={name}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Result-Id").Single();
    }

    /// <summary>Works, then broken (expired certificate, new key), then works again: three results.</summary>
    private async Task<(SwappableServer Server, string[] Ids, MatrixTester.Lab.Pki.LabCertificate Expired)> BreakAndRecoverAsync(string name)
    {
        var client = fixture.Site.CreateClient();
        var server = await SwappableServer.StartAsync(fixture.Lab, name);
        var works = await RunAsync(client, name);
        await server.BreakAsync();
        var broken = await RunAsync(client, name);
        var expired = server.Certificate;
        await server.RenewAsync();
        var again = await RunAsync(client, name);
        return (server, [works, broken, again], expired);
    }

    [Fact]
    public async Task The_server_page_draws_each_result_in_its_verdict_lane_with_a_text_alternative()
    {
        const string name = "picture.example.test";
        var (server, ids, _) = await BreakAndRecoverAsync(name);
        await using var cleanup = server;
        var doc = await fixture.Site.CreateClient().GetDocumentAsync($"/s/{name}");

        var svg = doc.QuerySelector(".verdict-history svg")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Equal($"Verdict over time for {name}", svg.QuerySelector("title#timeline-title")!.TextContent);
        var description = svg.QuerySelector("desc")!.TextContent;
        Assert.Contains("3 results", description, StringComparison.Ordinal);
        Assert.Contains("(works 2, broken 1)", description, StringComparison.Ordinal);
        Assert.Contains("The verdict changed 2 times; the latest result says works", description, StringComparison.Ordinal);
        Assert.Equal(description, doc.QuerySelector(".timeline figcaption")!.TextContent);

        var dots = svg.QuerySelectorAll("circle.dot").ToList();
        Assert.Equal(ids, dots.Select(d => d.GetAttribute("data-result-id")));
        Assert.Equal(["dot dot-works", "dot dot-broken", "dot dot-works"], dots.Select(d => d.GetAttribute("class")));
        // Oldest on the left edge, newest on the right, the broken one in the lower lane.
        Assert.Equal("150", dots[0].GetAttribute("cx"));
        Assert.Equal("700", dots[2].GetAttribute("cx"));
        Assert.Equal(["22", "88", "22"], dots.Select(d => d.GetAttribute("cy")));
        Assert.StartsWith("M150 22 H", svg.QuerySelector("path.step")!.GetAttribute("d"), StringComparison.Ordinal);

        var feed = doc.QuerySelector("head link[rel=alternate][type='application/atom+xml']")!;
        Assert.Equal($"/s/{name}.atom", feed.GetAttribute("href"));
    }

    [Fact]
    public async Task The_atom_feed_lists_verdict_changes_newest_first_with_what_changed()
    {
        const string name = "feed.example.test";
        var (server, ids, _) = await BreakAndRecoverAsync(name);
        await using var cleanup = server;
        var client = fixture.Site.CreateClient();
        using var response = await client.GetAsync($"/s/{name}.atom", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var xml = await response.Content.ReadAsStringAsync(Ct);

        // A real Atom 1.0 reader accepts it.
        using var reader = XmlReader.Create(new StringReader(xml));
        var parsed = SyndicationFeed.Load(reader);
        Assert.Equal($"Federation verdict changes for {name}", parsed.Title.Text);
        Assert.Equal(3, parsed.Items.Count());

        // This site has no Site:PublicUrl: links are relative to the site, ids are stable urn:uuid names.
        var feed = XDocument.Parse(xml).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", feed.Element(Atom + "id")!.Value);
        Assert.Equal($"/s/{name}.atom", Link(feed, "self"));
        Assert.Equal($"/s/{name}", Link(feed, "alternate"));
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal([$"{name}: broken → works", $"{name}: works → broken", $"{name}: works (earliest stored result)"],
            entries.Select(e => e.Element(Atom + "title")!.Value));
        Assert.Equal(new[] { ids[2], ids[1], ids[0] }.Select(id => $"/r/{id}"), entries.Select(e => Link(e, "alternate")));
        var entryIds = entries.Select(e => e.Element(Atom + "id")!.Value).Prepend(feed.Element(Atom + "id")!.Value).ToList();
        Assert.Equal(4, entryIds.Distinct().Count());
        Assert.All(entryIds, id => Assert.StartsWith("urn:uuid:", id, StringComparison.Ordinal));
        Assert.Equal(feed.Element(Atom + "updated")!.Value, entries[0].Element(Atom + "updated")!.Value);
        Assert.Equal($"/r/{ids[1]}?vs={ids[0]}", Link(entries[1], "related"));
        Assert.True(response.Headers.CacheControl is { Private: true, Public: false, MaxAge.TotalSeconds: 300 });
        var broke = entries[1].Element(Atom + "content")!;
        Assert.Equal("html", broke.Attribute("type")!.Value);
        Assert.Contains($"The certificate at {server.EndPoint} changed", broke.Value, StringComparison.Ordinal);
        Assert.Contains("Signing keys rotated: ed25519:second added, ed25519:first removed.", broke.Value, StringComparison.Ordinal);
    }

    internal static string Link(XElement element, string rel) =>
        element.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == rel).Attribute("href")!.Value;

    [Fact]
    public async Task A_feed_for_a_name_without_results_is_valid_and_empty_and_an_invalid_name_is_not_found()
    {
        var client = fixture.Site.CreateClient();
        var xml = await client.GetStringAsync("/s/never-tested.example.test.atom", Ct);
        using var reader = XmlReader.Create(new StringReader(xml));
        Assert.Empty(SyndicationFeed.Load(reader).Items);
        using var invalid = await client.GetAsync("/s/" + Uri.EscapeDataString("not a name") + ".atom", Ct);
        Assert.Equal(HttpStatusCode.NotFound, invalid.StatusCode);
    }

    [Fact]
    public async Task A_result_compared_with_the_one_before_lists_every_change_in_order()
    {
        const string name = "compare.example.test";
        var (server, ids, expired) = await BreakAndRecoverAsync(name);
        await using var cleanup = server;
        var client = fixture.Site.CreateClient();

        // The newest result links to the previous one; the oldest has nothing before it.
        var latest = await client.GetDocumentAsync($"/r/{ids[2]}");
        Assert.Equal($"/r/{ids[2]}?vs={ids[1]}", latest.QuerySelector(".compare-link a")!.GetAttribute("href"));
        Assert.Equal("Compare with the previous result", latest.QuerySelector(".compare-link a")!.TextContent);
        var first = await client.GetDocumentAsync($"/r/{ids[0]}");
        Assert.DoesNotContain("Compare with", first.QuerySelector(".compare-link")!.TextContent, StringComparison.Ordinal);

        // Either direction compares older → newer.
        foreach (var url in new[] { $"/r/{ids[1]}?vs={ids[0]}", $"/r/{ids[0]}?vs={ids[1]}" })
        {
            var doc = await client.GetDocumentAsync(url);
            var changes = doc.QuerySelectorAll(".comparison li.change").Select(li => (Kind: li.ClassName, Text: li.TextContent)).ToList();
            Assert.StartsWith("Verdict changed from works to broken:", changes[0].Text, StringComparison.Ordinal);
            var hex = Convert.ToHexString(SHA256.HashData(expired.Leaf.RawData));
            var certificate = changes.Single(c => c.Kind == "change change-certificate").Text;
            Assert.Contains($"The certificate at {server.EndPoint} changed: same issuer", certificate, StringComparison.Ordinal);
            Assert.Contains($"SHA-256 {hex[..16]}…", certificate, StringComparison.Ordinal);
            Assert.Contains(("change change-keys", "Signing keys rotated: ed25519:second added, ed25519:first removed."), changes);
            Assert.Contains(changes, c => c.Kind == "change change-added-error" && c.Text.StartsWith($"New error at {server.EndPoint}", StringComparison.Ordinal));
            Assert.Contains($"/r/{ids[0]}", doc.QuerySelector(".compare-sides")!.InnerHtml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Comparing_with_an_unknown_or_the_same_result_explains_instead_of_failing()
    {
        var client = fixture.Site.CreateClient();
        var id = await RunAsync(client, SiteFixture.Missing);
        foreach (var vs in new[] { "AAAAAAAAAAAAAAAAAAAAAAAA", "<script>", id })
        {
            var doc = await client.GetDocumentAsync($"/r/{id}?vs={Uri.EscapeDataString(vs)}");
            Assert.NotNull(doc.QuerySelector("#report"));
            Assert.Null(doc.QuerySelector(".comparison"));
            Assert.NotEmpty(doc.QuerySelector(".compare-problem")!.TextContent);
        }
    }
}
