using System.Net;
using System.Text.Json;

namespace MatrixTester.Web.Tests.Languages;

/// <summary>The v2 JSON keeps its ids and English texts; Accept-Language adds <c>localized</c> beside them, never instead.</summary>
public sealed class LocalizedApiTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task German_adds_localized_texts_beside_the_english_and_english_adds_nothing()
    {
        using var client = fixture.Site.CreateClient();
        using var english = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        var id = english.Headers.GetValues("X-Result-Id").Single();
        var plain = NxDomain(await english.Content.ReadAsStringAsync(Ct));
        Assert.False(plain.TryGetProperty("localized", out _));
        Assert.Equal($"{SiteFixture.Missing} does not exist in DNS (NXDOMAIN)", plain.GetProperty("summary").GetString());
        Assert.Equal("dns.nxdomain.Summary", plain.GetProperty("phrases").GetProperty("summary").GetProperty("key").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v2/results/{id}");
        request.Headers.TryAddWithoutValidation("Accept-Language", "de-DE");
        using var german = await client.SendAsync(request, Ct);
        var finding = NxDomain(await german.Content.ReadAsStringAsync(Ct));
        Assert.Equal("dns.nxdomain", finding.GetProperty("id").GetString());
        Assert.Equal($"{SiteFixture.Missing} does not exist in DNS (NXDOMAIN)", finding.GetProperty("summary").GetString());
        Assert.StartsWith("Create A and/or AAAA records", finding.GetProperty("fix").GetString(), StringComparison.Ordinal);
        var localized = finding.GetProperty("localized");
        Assert.Equal($"{SiteFixture.Missing} existiert nicht im DNS (NXDOMAIN)", localized.GetProperty("summary").GetString());
        Assert.StartsWith("Legen Sie A- und/oder AAAA-Einträge", localized.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_compatible_report_is_the_same_in_every_language()
    {
        using var client = fixture.Site.CreateClient();
        var english = await client.GetStringAsync($"/api/report?server_name={SiteFixture.Missing}", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/report?server_name={SiteFixture.Missing}");
        request.Headers.TryAddWithoutValidation("Accept-Language", "de");
        using var german = await client.SendAsync(request, Ct);
        var text = await german.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("localized", text, StringComparison.Ordinal);
        Assert.DoesNotContain("existiert", text, StringComparison.Ordinal);
        Assert.Contains("\"FederationOK\":false", english.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static JsonElement NxDomain(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("findings").EnumerateArray()
            .First(f => f.GetProperty("id").GetString() == "dns.nxdomain");
}
