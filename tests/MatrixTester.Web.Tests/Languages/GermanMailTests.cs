using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MatrixTester.Web.Tests.Watches;
using MimeKit;

namespace MatrixTester.Web.Tests.Languages;

/// <summary>
/// Mails go out in the language the subscriber used when subscribing, through a real SMTP server: one mailbox
/// subscribes in German, another in English, to the same server; its certificate expires; each gets its own.
/// </summary>
public sealed partial class GermanMailTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_watch_subscribed_in_german_gets_german_mails_and_one_in_english_english_ones()
    {
        var (name, homeserver) = await watch.ServerAsync();
        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "german"), watch.Settings(TimeSpan.FromSeconds(2)));
        var client = site.CreateClient();
        using (var first = await client.GetAsync($"/api/v2/report?server_name={name}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await SubscribeAsync(client, name, "admin@example.test", "de-DE,de;q=0.9");
        await SubscribeAsync(client, name, "ops@example.test", "en-GB");

        var confirmations = await watch.Mail.WaitForAsync(2, TimeSpan.FromSeconds(20));
        var german = To(confirmations, "admin@example.test");
        var english = To(confirmations, "ops@example.test");
        Assert.Equal($"[MatrixTester] Beobachtung von {name} bestätigen", german.Subject);
        Assert.Contains("Um die Beobachtung zu starten, bestätigen Sie hier:", german.TextBody, StringComparison.Ordinal);
        Assert.Equal($"[MatrixTester] Confirm watching {name}", english.Subject);
        await ConfirmAsync(client, german);
        await ConfirmAsync(client, english);

        var check = await WatchLab.NextCheckAsync(site.Services, name, null);
        await WatchLab.NextCheckAsync(site.Services, name, check);
        homeserver.ReplaceCertificate(watch.Lab.Pki.IssueExpired($"hs.{name}"));
        var all = await watch.Mail.WaitForAsync(4, TimeSpan.FromSeconds(60));
        var germanAlert = To(all.Skip(2), "admin@example.test");
        var englishAlert = To(all.Skip(2), "ops@example.test");

        Assert.Equal($"[MatrixTester] {name}: Federation ist kaputt", germanAlert.Subject);
        var text = germanAlert.TextBody;
        Assert.Contains($"MatrixTester hat {name} geprüft, und etwas hat sich geändert.", text, StringComparison.Ordinal);
        Assert.Contains("Federation: kaputt.", text, StringComparison.Ordinal);
        Assert.Contains("Aktuelle Befunde:", text, StringComparison.Ordinal);
        Assert.Contains("- Ergebnis geändert von funktioniert zu kaputt.", text, StringComparison.Ordinal);
        Assert.Matches(@"- Neu \(Fehler\) auf \S+: Das Zertifikat auf \S+ ist vor 1 Tag abgelaufen", text);
        Assert.Matches(@"\[Fehler\] Das Zertifikat auf \S+ ist vor 1 Tag abgelaufen, am ", text);
        Assert.Contains("Lösung: Erneuern Sie das Zertifikat (z. B. `certbot renew`)", text, StringComparison.Ordinal);
        Assert.Contains("Diese Mails abbestellen: " + WatchLab.PublicBaseUrl + "watches/unsubscribe?token=", text, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(BrowserFixture.ScreenshotDirectory, "i18n-mail-de.txt"), $"Subject: {germanAlert.Subject}\n\n{text}");

        Assert.Equal($"[MatrixTester] {name}: federation is broken", englishAlert.Subject);
        Assert.Contains("Fix: Renew the certificate", englishAlert.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Lösung", englishAlert.TextBody, StringComparison.Ordinal);
    }

    private static async Task SubscribeAsync(HttpClient client, string name, string email, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/watches") { Content = JsonContent.Create(new { server_name = name, email }) };
        request.Headers.TryAddWithoutValidation("Accept-Language", language);
        using var created = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static async Task ConfirmAsync(HttpClient client, MimeMessage confirmation)
    {
        var link = ConfirmLink().Match(confirmation.TextBody ?? "");
        Assert.True(link.Success, $"No confirmation link in:\n{confirmation.TextBody}");
        var url = new Uri(link.Value);
        using var confirmed = await client.PostAsync(url.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = url.Query["?token=".Length..] }), Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    private static MimeMessage To(IEnumerable<MimeMessage> messages, string address) =>
        Assert.Single(messages, m => m.To.Mailboxes.Any(b => b.Address == address));

    [GeneratedRegex(@"https://matrixtester\.test/watches/confirm\?token=[A-Za-z0-9_-]+")]
    private static partial Regex ConfirmLink();
}
