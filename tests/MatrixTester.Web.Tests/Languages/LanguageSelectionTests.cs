using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace MatrixTester.Web.Tests.Languages;

/// <summary>How a visitor's language is chosen: <c>?lang=</c> (remembered in a cookie), the cookie, Accept-Language, English.</summary>
public sealed class LanguageSelectionTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private const string EnglishTitle = "Can other Matrix servers reach yours?";
    private const string GermanTitle = "Können andere Matrix-Server Ihren erreichen?";

    [Fact]
    public async Task Without_a_preference_the_site_is_English()
    {
        var (doc, response) = await GetAsync("/");
        Assert.Equal("en", doc.DocumentElement.GetAttribute("lang"));
        Assert.Equal(EnglishTitle, doc.QuerySelector("h1")!.TextContent);
        Assert.Equal("en", Assert.Single(response.Content.Headers.ContentLanguage));
    }

    [Theory]
    [InlineData("de")]
    [InlineData("de-AT")]
    [InlineData("de-CH, en;q=0.8")]
    [InlineData("fr-FR, fr;q=0.9, de;q=0.7, en;q=0.5")]
    [InlineData("en;q=0.2, de;q=0.9")]
    public async Task Accept_language_picks_the_best_language_the_site_speaks(string acceptLanguage)
    {
        var (doc, response) = await GetAsync("/", acceptLanguage);
        Assert.Equal("de", doc.DocumentElement.GetAttribute("lang"));
        Assert.Equal(GermanTitle, doc.QuerySelector("h1")!.TextContent);
        Assert.Equal("de", Assert.Single(response.Content.Headers.ContentLanguage));
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("de;q=0")]
    [InlineData("qps-ploc")]
    public async Task A_language_the_site_does_not_speak_falls_back_to_English(string acceptLanguage)
    {
        var (doc, _) = await GetAsync("/", acceptLanguage);
        Assert.Equal("en", doc.DocumentElement.GetAttribute("lang"));
        Assert.Equal(EnglishTitle, doc.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Lang_in_the_query_wins_and_a_cookie_remembers_it()
    {
        var (doc, response) = await GetAsync("/?lang=de", "en");
        Assert.Equal(GermanTitle, doc.QuerySelector("h1")!.TextContent);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".AspNetCore.Culture=c%3Den%7Cuic%3Dde;", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        // The cookie alone, even against the browser's own preference.
        var (remembered, _) = await GetAsync("/docs", "en", cookie.Split(';')[0]);
        Assert.Equal("de", remembered.DocumentElement.GetAttribute("lang"));

        // Switching back.
        var (back, backResponse) = await GetAsync("/?lang=en", "de", cookie.Split(';')[0]);
        Assert.Equal(EnglishTitle, back.QuerySelector("h1")!.TextContent);
        Assert.Contains("uic%3Den", Assert.Single(backResponse.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_lang_sets_no_cookie_and_shows_English()
    {
        var (doc, response) = await GetAsync("/?lang=xx");
        Assert.Equal("en", doc.DocumentElement.GetAttribute("lang"));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_language_switch_links_the_same_page_in_each_language_in_its_own_name()
    {
        var (doc, _) = await GetAsync($"/?server_name={SiteFixture.Missing}&stream=1", "de");
        var links = doc.QuerySelectorAll("nav.languages a").Cast<IHtmlAnchorElement>().ToList();
        Assert.Equal(["English", "Deutsch"], links.Select(a => a.TextContent));
        Assert.Equal(["en", "de"], links.Select(a => a.GetAttribute("hreflang")));
        Assert.Equal($"/?server_name={SiteFixture.Missing}&stream=1&lang=en", links[0].GetAttribute("href"));
        Assert.Equal("true", links[1].GetAttribute("aria-current"));
        Assert.Null(links[0].GetAttribute("aria-current"));
    }

    private async Task<(IHtmlDocument Document, HttpResponseMessage Response)> GetAsync(string url, string? acceptLanguage = null, string? cookie = null)
    {
        using var client = fixture.Site.CreateClient(new() { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (await new HtmlParser().ParseDocumentAsync(body), response);
    }
}
