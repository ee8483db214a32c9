using System.Net;
using System.Net.Http.Json;
using System.Text;
using MatrixTester.Web.Watches;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// What a browser says about a request that acts on watches decides whether it is served: from another site's page,
/// 403 and nothing stored or mailed; from this site's own page or from a script (no browser headers), served.
/// </summary>
public sealed class CrossSiteTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private const string SiteUrl = "https://matrixtester.test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> ForeignHeaders() => new()
    {
        { "Sec-Fetch-Site", "cross-site" },
        { "Sec-Fetch-Site", "same-site" },
        { "Origin", "https://evil.example" },
        { "Origin", "null" },
    };

    [Theory]
    [MemberData(nameof(ForeignHeaders))]
    public async Task The_watch_form_posted_from_another_site_creates_nothing(string header, string value)
    {
        await using var site = Site("cross-form");
        var mailbox = $"victim-{Guid.NewGuid():N}@example.org";

        using var response = await site.CreateClient().SendAsync(Form("/watch", header, value, ("server_name", "victim.example.org"), ("email", mailbox)), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("another site", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await site.Services.GetRequiredService<WatchStore>().CountForMailboxAsync(mailbox, Ct));
        Assert.DoesNotContain(watch.Mail.Messages(), m => m.To.Mailboxes.Any(a => a.Address == mailbox));
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", SiteUrl)]
    [InlineData("Origin", "http://matrixtester.test")]
    [InlineData("", "")]
    public async Task The_watch_form_from_this_site_or_a_script_is_served(string header, string value)
    {
        await using var site = Site("same-form");
        var mailbox = $"owner-{Guid.NewGuid():N}@example.org";

        using var response = await site.CreateClient().SendAsync(Form("/watch", header, value, ("server_name", "owned.example.org"), ("email", mailbox)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await site.Services.GetRequiredService<WatchStore>().CountForMailboxAsync(mailbox, Ct));
    }

    [Fact]
    public async Task Confirm_and_unsubscribe_buttons_refuse_cross_site_posts_and_change_nothing()
    {
        await using var site = Site("cross-buttons");
        var client = site.CreateClient();
        var mailbox = $"buttons-{Guid.NewGuid():N}@example.org";
        using (var created = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = "buttons.example.org", email = mailbox }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var mail = (await watch.Mail.WaitForAsync(1, TimeSpan.FromSeconds(20))).Single(m => m.To.Mailboxes.Any(a => a.Address == mailbox));
        var confirm = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"confirm\?token=(?<t>[A-Za-z0-9_-]{43})").Groups["t"].Value;
        var unsubscribe = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"unsubscribe\?token=(?<t>[A-Za-z0-9_-]{43})").Groups["t"].Value;

        using (var refused = await client.SendAsync(Form("/watches/confirm", "Sec-Fetch-Site", "cross-site", ("token", confirm)), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var refused = await client.SendAsync(Form($"/watches/unsubscribe?token={unsubscribe}", "Origin", "https://evil.example"), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        var store = site.Services.GetRequiredService<WatchStore>();
        Assert.NotNull(await store.FindByConfirmTokenAsync(confirm, Ct)); // still pending, still there

        // A mail client's one-click unsubscribe (RFC 8058) carries no browser headers: it works.
        using var oneClick = await client.SendAsync(Form($"/watches/unsubscribe?token={unsubscribe}", "", "", ("List-Unsubscribe", "One-Click")), Ct);
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Null(await store.FindByUnsubscribeTokenAsync(unsubscribe, Ct));
    }

    [Fact]
    public async Task The_api_refuses_cross_site_browser_calls_and_bodies_that_are_not_json()
    {
        await using var site = Site("cross-api");
        var client = site.CreateClient();
        const string Body = """{"server_name": "api.example.org", "email": "api@example.org"}""";

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/v2/watches") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var refused = await client.SendAsync(crossSite, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        // What a cross-site page can send without asking (a form, or fetch in no-cors mode) is never JSON.
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data" })
        {
            using var simple = await client.PostAsync("/api/v2/watches", new StringContent(Body, Encoding.UTF8, type), Ct);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, simple.StatusCode);
        }
        Assert.Equal(0, await site.Services.GetRequiredService<WatchStore>().CountForMailboxAsync("api@example.org", Ct));
    }

    private SiteFactory Site(string directory)
    {
        var settings = watch.Settings(TimeSpan.FromHours(6));
        settings["Site:PublicUrl"] = SiteUrl + "/";
        return new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, directory + Guid.NewGuid().ToString("N")[..8]), settings);
    }

    private static HttpRequestMessage Form(string path, string header, string value, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        if (header.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        return request;
    }
}
