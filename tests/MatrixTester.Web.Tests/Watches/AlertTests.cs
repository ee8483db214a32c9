using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MatrixTester.Web.Watches;
using MimeKit;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// The whole loop against the lab: subscribe (mail confirmed through the link in the real mail), scheduled checks,
/// the homeserver's certificate swapped for an expired one and back. Exactly one mail and one signed webhook per
/// change, none for checks that changed nothing.
/// </summary>
public sealed partial class AlertTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_expired_certificate_and_its_recovery_each_send_one_mail_and_one_signed_webhook()
    {
        var (name, homeserver) = await watch.ServerAsync();
        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "alerts"), watch.Settings(TimeSpan.FromSeconds(2)));
        var client = site.CreateClient();

        // A first result as the baseline, as when somebody subscribes from a result page.
        using (var first = await client.GetAsync($"/api/v2/report?server_name={name}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var created = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = name, email = "admin@example.test", webhook = watch.Hooks.Url.ToString() }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var watches = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("watches");
        var secret = watches.EnumerateArray().Single(w => w.GetProperty("kind").GetString() == "webhook").GetProperty("secret").GetString()!;
        Assert.Equal("pending_confirmation", watches.EnumerateArray().Single(w => w.GetProperty("kind").GetString() == "email").GetProperty("status").GetString());

        var confirmation = Assert.Single(await watch.Mail.WaitForAsync(1, TimeSpan.FromSeconds(20)));
        var confirmUrl = Link(confirmation, "/watches/confirm");
        using (var confirmed = await client.PostAsync(confirmUrl.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token(confirmUrl) }), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        // Two checks that find nothing new: no alert.
        var check = await WatchLab.NextCheckAsync(site.Services, name, null);
        check = await WatchLab.NextCheckAsync(site.Services, name, check);
        Assert.Empty(watch.Hooks.Deliveries);
        Assert.Single(watch.Mail.Messages());

        homeserver.ReplaceCertificate(watch.Lab.Pki.IssueExpired($"hs.{name}"));
        var broken = Assert.Single(await watch.Hooks.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        var alerts = await watch.Mail.WaitForAsync(2, TimeSpan.FromSeconds(30));
        // Later checks still see the expired certificate: nothing more is sent.
        check = await WatchLab.NextCheckAsync(site.Services, name, await WatchLab.NextCheckAsync(site.Services, name, null));
        check = await WatchLab.NextCheckAsync(site.Services, name, check);
        Assert.Single(watch.Hooks.Deliveries);
        Assert.Equal(2, watch.Mail.Messages().Count);

        var payload = Verified(broken, secret);
        Assert.Equal(name, payload.GetProperty("server_name").GetString());
        Assert.Equal("broken", payload.GetProperty("verdict").GetString());
        Assert.Equal("works", payload.GetProperty("previous").GetString());
        Assert.StartsWith(WatchLab.PublicBaseUrl + "r/", payload.GetProperty("permalink").GetString(), StringComparison.Ordinal);
        Assert.Contains(payload.GetProperty("changes").EnumerateArray(), c => c.GetProperty("kind").GetString() == "verdict");
        Assert.Contains(payload.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "error" && f.GetProperty("fix").GetString()!.Length > 0);

        var mail = alerts[1];
        Assert.Equal($"[MatrixTester] {name}: federation is broken", mail.Subject);
        var text = mail.TextBody;
        Assert.Contains("Verdict changed from works to broken", text, StringComparison.Ordinal);
        Assert.Contains("Fix: ", text, StringComparison.Ordinal);
        Assert.Contains(payload.GetProperty("permalink").GetString()!, text, StringComparison.Ordinal);
        var permalink = new Uri(payload.GetProperty("permalink").GetString()!);
        using (var page = await client.GetAsync(permalink.PathAndQuery, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        homeserver.ReplaceCertificate(watch.Lab.Pki.Issue($"hs.{name}"));
        var deliveries = await watch.Hooks.WaitForAsync(2, TimeSpan.FromSeconds(60));
        await watch.Mail.WaitForAsync(3, TimeSpan.FromSeconds(30));
        check = await WatchLab.NextCheckAsync(site.Services, name, await WatchLab.NextCheckAsync(site.Services, name, null));
        await WatchLab.NextCheckAsync(site.Services, name, check);
        Assert.Equal(2, watch.Hooks.Deliveries.Count);
        var messages = watch.Mail.Messages();
        Assert.Equal(3, messages.Count);
        var recovered = Verified(deliveries[1], secret);
        Assert.Equal("works", recovered.GetProperty("verdict").GetString());
        Assert.Equal("broken", recovered.GetProperty("previous").GetString());
        Assert.Equal($"[MatrixTester] {name}: federation works again", messages[2].Subject);

        // Every mail's unsubscribe link works: asking first, then removing.
        var unsubscribe = Link(messages[2], "/watches/unsubscribe");
        Assert.Equal($"<{unsubscribe}>", messages[2].Headers["List-Unsubscribe"]);
        using (var ask = await client.GetAsync(unsubscribe.PathAndQuery, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        }
        using (var removed = await client.PostAsync(unsubscribe.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token(unsubscribe) }), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }
        var left = await ((WatchStore)site.Services.GetService(typeof(WatchStore))!).ActiveAsync(name, Ct);
        Assert.Equal("webhook", Assert.Single(left).Kind);
    }

    /// <summary>The body, after checking its signature the way docs/monitoring.md tells receivers to.</summary>
    private static JsonElement Verified(Delivery delivery, string secret)
    {
        Assert.StartsWith("application/json", delivery.ContentType, StringComparison.Ordinal);
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), delivery.Body));
        Assert.Equal(expected, delivery.Signature);
        Assert.NotEqual(expected, WebhookSender.Sign("another secret", delivery.Body));
        return JsonDocument.Parse(delivery.Body).RootElement;
    }

    private static Uri Link(MimeMessage message, string path)
    {
        var match = Regex.Match(message.TextBody ?? "", Regex.Escape(WatchLab.PublicBaseUrl.TrimEnd('/') + path) + @"\?token=[A-Za-z0-9_-]+");
        Assert.True(match.Success, $"No {path} link in:\n{message.TextBody}");
        return new Uri(match.Value);
    }

    private static string Token(Uri link) => link.Query["?token=".Length..];
}
