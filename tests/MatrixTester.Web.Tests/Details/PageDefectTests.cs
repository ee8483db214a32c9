using System.Net;
using System.Text.RegularExpressions;

namespace MatrixTester.Web.Tests.Details;

/// <summary>The page defects of the plain-words issue, in the server-rendered HTML.</summary>
public sealed class PageDefectTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly HttpClient _client = fixture.Site.CreateClient();

    [Fact]
    public async Task The_404_page_says_how_long_results_are_kept_instead_of_forever()
    {
        var page = await _client.GetDocumentAsync("/r/AAAAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.NotFound);
        var text = page.QuerySelector(".error-page")!.TextContent;
        Assert.DoesNotContain("forever", text, StringComparison.Ordinal);
        Assert.Contains("Stored results are kept for 90 days, then deleted", text, StringComparison.Ordinal);

        await using var keeping = new SiteFactory(fixture.Lab, fixture.DataDirectory + "-keep", new Dictionary<string, string?> { ["Storage:RetentionDays"] = "0" });
        var kept = await keeping.CreateClient().GetDocumentAsync("/no-such-page", HttpStatusCode.NotFound);
        Assert.Contains("Stored results stay until the operator of this site removes them", kept.QuerySelector(".error-page")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_result_line_gives_short_runs_in_milliseconds_and_keeps_its_separators_apart()
    {
        var page = await _client.GetDocumentAsync($"/?server_name={SiteFixture.Good}");
        var meta = Regex.Replace(page.QuerySelector("#report .result-meta")!.TextContent, @"\s+", " ").Trim();
        Assert.Matches(@" in (\d+(\.\d)? ms|\d+\.\d s)\. Permalink: /r/[A-Za-z0-9_-]{24} · JSON · history$", meta);
        Assert.DoesNotContain(" in 0.0 s", meta, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_shown_on_the_live_page_has_run_again_and_a_permalink_has_it_once()
    {
        var live = await _client.GetDocumentAsync($"/?server_name={SiteFixture.Good}");
        var again = live.QuerySelector("#report form.run-again")!;
        Assert.Equal("/", again.GetAttribute("action"));
        Assert.Equal(SiteFixture.Good, again.QuerySelector("input[name=server_name]")!.GetAttribute("value"));
        Assert.Equal("1", again.QuerySelector("input[name=fresh]")!.GetAttribute("value"));
        Assert.Equal("Run again", again.QuerySelector("button")!.TextContent);

        var permalink = live.QuerySelector("#report a.permalink")!.GetAttribute("href")!;
        var fragment = await _client.GetDocumentAsync($"{permalink}?handler=Fragment");
        Assert.Single(fragment.QuerySelectorAll("#report form.run-again"));
        var page = await _client.GetDocumentAsync(permalink);
        Assert.Single(page.QuerySelectorAll("form.run-again"));
    }

    [Fact]
    public async Task The_watch_form_offers_email_only_where_the_site_sends_mail()
    {
        var permalink = (await _client.GetDocumentAsync($"/?server_name={SiteFixture.Good}")).QuerySelector("#report a.permalink")!.GetAttribute("href")!;
        var withoutMail = await _client.GetDocumentAsync(permalink);
        Assert.Null(withoutMail.QuerySelector(".watch-form input[name=email]"));
        Assert.Equal("Webhook URL", withoutMail.QuerySelector("label[for=watch_webhook]")!.TextContent);
        Assert.Contains("This site does not send mail", withoutMail.QuerySelector("#watch_webhook_hint")!.TextContent, StringComparison.Ordinal);

        await using var mailing = new SiteFactory(fixture.Lab, fixture.DataDirectory + "-mail", MailSettings);
        var client = mailing.CreateClient();
        var mailPermalink = (await client.GetDocumentAsync($"/?server_name={SiteFixture.Good}")).QuerySelector("#report a.permalink")!.GetAttribute("href")!;
        var withMail = await client.GetDocumentAsync(mailPermalink);
        Assert.NotNull(withMail.QuerySelector(".watch-form input[name=email][type=email]"));
        Assert.Equal("Webhook URL (optional)", withMail.QuerySelector("label[for=watch_webhook]")!.TextContent);
    }

    [Fact]
    public async Task A_watch_that_was_not_created_comes_back_with_what_was_typed()
    {
        await using var mailing = new SiteFactory(fixture.Lab, fixture.DataDirectory + "-typed", MailSettings);
        using var response = await mailing.CreateClient().PostAsync("/watch", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["server_name"] = SiteFixture.Good,
            ["email"] = "admin@example.org",
            ["webhook"] = "http://hooks.example.org/not-https",
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Ct));
        Assert.NotNull(page.QuerySelector("[role=alert]"));
        Assert.Equal("admin@example.org", page.QuerySelector(".watch-form input[name=email]")!.GetAttribute("value"));
        Assert.Equal("http://hooks.example.org/not-https", page.QuerySelector(".watch-form input[name=webhook]")!.GetAttribute("value"));
    }

    /// <summary>A site that could send mail (nothing is sent: no form here is submitted with a valid address).</summary>
    private static Dictionary<string, string?> MailSettings => new()
    {
        ["Site:PublicUrl"] = "https://matrixtester.test/",
        ["Monitoring:Smtp:Host"] = "127.0.0.1",
        ["Monitoring:Smtp:From"] = "MatrixTester <alerts@matrixtester.test>",
    };
}
