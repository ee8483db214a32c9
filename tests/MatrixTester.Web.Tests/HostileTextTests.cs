using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Web.Tests;

/// <summary>
/// JSON that parses but breaks naive readers: an empty member name in the key response, and escapes of half a
/// surrogate pair in /version and in m.server. The live page, the permalink and the JSON report all come back, and
/// the odd text is shown as data.
/// </summary>
public sealed class HostileTextTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static int _names;
    private readonly HttpClient _client = fixture.Site.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_response_with_an_empty_member_name_renders_on_the_live_page_and_the_permalink()
    {
        var name = await HomeserverAsync("empty-name", (serverName, key) =>
        {
            var body = JsonNode.Parse(key.KeyResponse(serverName, DateTimeOffset.UtcNow.AddDays(1)))!.AsObject();
            body.Remove("signatures");
            body[""] = new JsonObject { [""] = "" };
            return key.SignJson(body.ToJsonString(), serverName);
        }, version: """{"server": {"name": "Synapse", "version": "1.140.0"}}""");

        var page = await _client.GetDocumentAsync($"/?server_name={name}");
        var report = page.QuerySelector("#report")!;
        // The keys verify: the empty name is canonical JSON like any other member, so the server works.
        Assert.Contains("works", page.QuerySelector(".verdict")!.TextContent, StringComparison.OrdinalIgnoreCase);
        AssertEmptyMemberShown(report);

        var permalink = report.QuerySelector("a.permalink")!.GetAttribute("href")!;
        var stored = await _client.GetDocumentAsync(permalink);
        AssertEmptyMemberShown(stored.QuerySelector("#report")!);
    }

    /// <summary>The key response as received is in the address's raw JSON, empty member name and all.</summary>
    private static void AssertEmptyMemberShown(AngleSharp.Dom.IElement report)
    {
        var raw = JsonNode.Parse(report.QuerySelector("#detail-conn-0 details.raw-json pre")!.TextContent)!;
        var keys = JsonNode.Parse(raw["keys"]!["rawBody"]!.GetValue<string>())!.AsObject();
        Assert.Equal("", keys[""]![""]!.GetValue<string>());
    }

    [Fact]
    public async Task A_lone_surrogate_in_the_version_is_a_finding_about_that_response_on_the_page_and_in_json()
    {
        var name = await HomeserverAsync("surrogate-version", (serverName, key) => key.KeyResponse(serverName, DateTimeOffset.UtcNow.AddDays(1)),
            version: """{"server": {"name": "Syn\ud800apse", "version": "1.0\udfff"}}""");

        var page = await _client.GetDocumentAsync($"/?server_name={name}");
        var text = page.QuerySelector("#report")!.TextContent;
        Assert.DoesNotContain("internal error", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("of half a surrogate pair", text, StringComparison.Ordinal);
        Assert.Contains("Syn\uFFFDapse", text, StringComparison.Ordinal);

        using var v2 = await _client.GetAsync($"/api/v2/report?server_name={name}", Ct);
        using var json = JsonDocument.Parse(await v2.Content.ReadAsStringAsync(Ct));
        var ids = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToArray();
        Assert.Contains("version.lone_surrogate", ids);
        Assert.DoesNotContain("diagnosis.internal_error", ids);
    }

    [Fact]
    public async Task A_lone_surrogate_in_m_server_means_peers_ignore_the_delegation()
    {
        var name = $"surrogate-mserver{Interlocked.Increment(ref _names)}.example.test";
        var web = FederationLab.NewAddress();
        fixture.Lab.Zone.A(name, web.ToString());
        await fixture.Lab.HttpsAsync(web, 443, fixture.Lab.Pki.Issue(name), r => r.WellKnown("""{"m.server": "hs.\ud800.example.test:8448"}"""));

        using var v2 = await _client.GetAsync($"/api/v2/report?server_name={name}", Ct);
        using var json = JsonDocument.Parse(await v2.Content.ReadAsStringAsync(Ct));
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToArray();
        var ids = findings.Select(f => f.GetProperty("id").GetString()).ToArray();
        Assert.Contains("wellknown.m_server_non_ascii", ids);
        Assert.DoesNotContain("diagnosis.internal_error", ids);
        Assert.Contains(findings, f => f.GetProperty("summary").GetString()!.Contains("hs.\uFFFD.example.test:8448", StringComparison.Ordinal));

        var page = await _client.GetDocumentAsync($"/?server_name={name}");
        Assert.Contains("m.server", page.QuerySelector("#report")!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>name → .well-known → hs.name:8448, whose key response and /version body the test writes.</summary>
    private async Task<string> HomeserverAsync(string prefix, Func<string, LabSigningKey, string> keyResponse, string version)
    {
        var name = $"{prefix}{Interlocked.Increment(ref _names)}.example.test";
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        fixture.Lab.Zone.A(name, web.ToString()).A($"hs.{name}", hs.ToString());
        await fixture.Lab.HttpsAsync(web, 443, fixture.Lab.Pki.Issue(name), r => r.Delegate($"hs.{name}:8448"));
        var key = LabSigningKey.Create();
        await fixture.Lab.HttpsAsync(hs, 8448, fixture.Lab.Pki.Issue($"hs.{name}"), r => r
            .Json("/_matrix/federation/v1/version", version)
            .Json("/_matrix/key/v2/server", keyResponse(name, key)));
        return name;
    }
}
