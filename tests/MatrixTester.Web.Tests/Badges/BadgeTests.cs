using System.Net;
using System.Xml.Linq;
using MatrixTester.Web.Badges;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Tests.History;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Badges;

/// <summary>/badge/{server_name}.svg: exact output per verdict, read from the store only, cacheable.</summary>
public sealed class BadgeTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> TestedAtAsync(string name) =>
        (await fixture.Site.Services.GetRequiredService<IResultStore>().RecentAsync(name, 1, Ct))[0].CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_name_never_tested_gets_the_unknown_badge_and_no_diagnosis_is_started()
    {
        const string name = "badge-never.example.test";
        var client = fixture.Site.CreateClient();
        var shared = fixture.Site.Services.GetRequiredService<SharedDiagnoses>();
        var runs = shared.RunsStarted;
        using var response = await client.GetAsync($"/badge/{name}.svg", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            """<svg xmlns="http://www.w3.org/2000/svg" width="135" height="20" viewBox="0 0 135 20" role="img" aria-label="Matrix federation for badge-never.example.test: unknown (no stored result)"><title>Matrix federation for badge-never.example.test: unknown (no stored result)</title><rect width="77" height="20" fill="#555"/><rect x="77" width="58" height="20" fill="#6e7781"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="38.5" y="14">federation</text><text x="106" y="14">unknown</text></g></svg>""",
            await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(runs, shared.RunsStarted);
        Assert.Empty(await fixture.Site.Services.GetRequiredService<IResultStore>().RecentAsync(name, 10, Ct));
    }

    [Fact]
    public async Task The_badge_follows_the_latest_stored_result()
    {
        await using var server = await SwappableServer.StartAsync(fixture.Lab, "badge.example.test");
        var client = fixture.Site.CreateClient();
        await HistoryTests.RunAsync(client, server.Name);
        var works = await client.GetStringAsync($"/badge/{server.Name}.svg", Ct);
        var title = $"Matrix federation for badge.example.test: works (tested {await TestedAtAsync(server.Name)} UTC)";
        Assert.Equal(
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="122" height="20" viewBox="0 0 122 20" role="img" aria-label="{title}"><title>{title}</title><rect width="77" height="20" fill="#555"/><rect x="77" width="45" height="20" fill="#1a7f37"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="38.5" y="14">federation</text><text x="99.5" y="14">works</text></g></svg>""",
            works);

        await server.BreakAsync();
        await HistoryTests.RunAsync(client, server.Name);
        var broken = await client.GetStringAsync($"/badge/{server.Name}.svg", Ct);
        title = $"Matrix federation for badge.example.test: broken (tested {await TestedAtAsync(server.Name)} UTC)";
        Assert.Equal(
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="128" height="20" viewBox="0 0 128 20" role="img" aria-label="{title}"><title>{title}</title><rect width="77" height="20" fill="#555"/><rect x="77" width="51" height="20" fill="#cf222e"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="38.5" y="14">federation</text><text x="102.5" y="14">broken</text></g></svg>""",
            broken);
    }

    [Fact]
    public async Task The_badge_is_cacheable_and_revalidates_with_its_etag()
    {
        await using var server = await SwappableServer.StartAsync(fixture.Lab, "badge-cache.example.test");
        var client = fixture.Site.CreateClient();
        var url = $"/badge/{server.Name}.svg";
        await HistoryTests.RunAsync(client, server.Name);
        using var first = await client.GetAsync(url, Ct);
        Assert.Equal("public, max-age=300", first.Headers.CacheControl!.ToString());
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));

        // A new verdict is a new badge, so the old tag no longer matches.
        await server.BreakAsync();
        await HistoryTests.RunAsync(client, server.Name);
        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(etag);
        using var changed = await client.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Contains(">broken</text>", await changed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HEAD_gets_the_answer_of_GET_without_the_body()
    {
        const string name = "badge-head.example.test";
        var client = fixture.Site.CreateClient();
        var body = await client.GetByteArrayAsync($"/badge/{name}.svg", Ct);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/badge/{name}.svg"), Ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("image/svg+xml", head.Content.Headers.ContentType!.MediaType);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Equal("public, max-age=300", head.Headers.CacheControl!.ToString());
        Assert.NotNull(head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData("/badge/not%20a%20name.svg")]
    [InlineData("/badge/%3Cscript%3E.svg")]
    public async Task An_invalid_name_is_not_found(string url)
    {
        using var response = await fixture.Site.CreateClient().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Text_in_the_badge_is_escaped_and_the_result_is_well_formed_xml()
    {
        var svg = BadgeSvg.Render("a<b>&\"c'", null);
        Assert.Contains("a&lt;b&gt;&amp;&quot;c&apos;", svg, StringComparison.Ordinal);
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal("Matrix federation for a<b>&\"c': unknown (no stored result)", root.Element(XName.Get("title", "http://www.w3.org/2000/svg"))!.Value);
    }
}
