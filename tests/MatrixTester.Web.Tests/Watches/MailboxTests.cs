using System.Net;
using System.Net.Http.Json;
using MatrixTester.Web.Watches;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>One cap per mailbox, however its address is written; only addresses at a public-looking domain name.</summary>
public sealed class MailboxTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("victim@example.org", "victim@example.org")]
    [InlineData("Victim+1@Example.ORG", "victim@example.org")]
    [InlineData("victim+a+b@example.org", "victim@example.org")]
    [InlineData("+tag@example.org", "+tag@example.org")]
    [InlineData("first.last@mail.example.org", "first.last@mail.example.org")]
    public void The_mailbox_is_the_lower_case_address_without_its_tag(string email, string mailbox) =>
        Assert.Equal(mailbox, MailAddresses.Mailbox(email));

    [Theory]
    [InlineData("admin@example.org", true)]
    [InlineData("admin+alerts@xn--bcher-kva.example", true)]
    [InlineData("a@[127.0.0.1]", false)]
    [InlineData("a@[ipv6:::1]", false)]
    [InlineData("a@127.0.0.1", false)]
    [InlineData("a@localhost", false)]
    [InlineData("a@example.org:25", false)]
    [InlineData("a@-bad-.example.org", false)]
    [InlineData("\"a@b\"@example.org", false)]
    public void Only_plain_addresses_at_a_full_domain_name_are_accepted(string email, bool accepted) =>
        Assert.Equal(accepted, MailAddresses.Problem(email) is null);

    [Fact]
    public async Task Tagged_addresses_of_one_mailbox_share_its_cap()
    {
        var settings = watch.Settings(TimeSpan.FromHours(6));
        settings["Monitoring:MaxWatchesPerEmail"] = "2";
        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "mailbox-cap"), settings);
        var client = site.CreateClient();
        var mailbox = $"victim{Guid.NewGuid():N}"[..20];

        var statuses = new List<HttpStatusCode>();
        foreach (var (address, server) in new[] { ($"{mailbox}+1@example.org", "one.example.org"), ($"{mailbox}+2@example.org", "two.example.org"), ($"{mailbox.ToUpperInvariant()}+3@EXAMPLE.org", "three.example.org") })
        {
            using var response = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = server, email = address }, Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Conflict], statuses);
        // Another mailbox is not affected.
        using var other = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = "one.example.org", email = $"{mailbox}x@example.org" }, Ct);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }
}
