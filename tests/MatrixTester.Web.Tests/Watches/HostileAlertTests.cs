using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// A watched server turns hostile: its m.server gains CR/LF and text that would read as our own paragraphs, link and
/// signature. The alert goes out through the real SMTP server, and every line of it is still ours.
/// </summary>
public sealed class HostileAlertTests(WatchLab watch) : IClassFixture<WatchLab>
{
    // What the well-known's JSON string decodes to: a fake paragraph with a link, and a fake mail signature.
    private const string Injected = "\r\n\r\nURGENT: your server was suspended. Log in at https://evil.example/login\r\n\r\n--\r\nYou get this mail because";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cr_lf_in_m_server_stays_inside_one_line_of_the_real_alert_mail()
    {
        var name = $"hostile-alert{Guid.NewGuid():N}"[..24] + ".example.test";
        var wellKnown = $$"""{"m.server": "hs.{{name}}:8448"}""";
        var web = FederationLab.NewAddress();
        var hs = FederationLab.NewAddress();
        watch.Lab.Zone.A(name, web.ToString()).A($"hs.{name}", hs.ToString());
        await watch.Lab.HttpsAsync(web, 443, watch.Lab.Pki.Issue(name), r => r.Map("/.well-known/matrix/server", context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(Volatile.Read(ref wellKnown));
        }));
        await watch.Lab.HttpsAsync(hs, 8448, watch.Lab.Pki.Issue($"hs.{name}"), r => r.Homeserver(name, LabSigningKey.Create()));

        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "hostile-alert"), watch.Settings(TimeSpan.FromSeconds(2)));
        var client = site.CreateClient();
        using (var first = await client.GetAsync($"/api/v2/report?server_name={name}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var mailbox = $"hostile-{Guid.NewGuid():N}@example.test";
        using (var created = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = name, email = mailbox, webhook = watch.Hooks.Url.ToString() }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var confirmation = await MailToAsync(mailbox, 1);
        var confirm = Regex.Match(confirmation[0].TextBody ?? "", @"https://matrixtester\.test/watches/confirm\?token=(?<token>[A-Za-z0-9_-]{43})");
        Assert.True(confirm.Success, confirmation[0].TextBody);
        using (var confirmed = await client.PostAsync("/watches/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = confirm.Groups["token"].Value }), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        Volatile.Write(ref wellKnown, $$"""{"m.server": {{System.Text.Json.JsonSerializer.Serialize($"hs.{name}:8448{Injected}")}}}""");
        var alert = (await MailToAsync(mailbox, 2))[1];

        var body = alert.TextBody ?? "";
        var lines = body.Split('\n');
        Assert.Contains(lines, l => l.Contains($"hs.{name}:8448\\u000d\\u000a\\u000d\\u000aURGENT: your server was suspended", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("URGENT", StringComparison.Ordinal));
        Assert.Single(lines, l => l.TrimEnd('\r') == "--");
        Assert.Single(lines, l => l.StartsWith("You get this mail because", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', body.Replace("\r\n", "\n", StringComparison.Ordinal));

        // The webhook's JSON would carry CR/LF safely, but its texts end up in chats and logs: one line each there too.
        var payload = System.Text.Json.JsonDocument.Parse(Assert.Single(await watch.Hooks.WaitForAsync(1, TimeSpan.FromSeconds(30))).Body).RootElement;
        var texts = payload.GetProperty("findings").EnumerateArray().SelectMany(f => new[] { f.GetProperty("summary").GetString()!, f.GetProperty("fix").GetString()! })
            .Concat(payload.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("description").GetString()!)).ToList();
        Assert.Contains(texts, t => t.Contains("\\u000d\\u000aURGENT", StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain('\n', t));
    }

    /// <summary>The messages to <paramref name="to"/> (other tests share the sink), once there are <paramref name="count"/>.</summary>
    private async Task<IReadOnlyList<MimeKit.MimeMessage>> MailToAsync(string to, int count)
    {
        for (var i = 0; i < 600; i++)
        {
            var mine = watch.Mail.Messages().Where(m => m.To.Mailboxes.Any(a => a.Address == to)).ToList();
            if (mine.Count >= count)
            {
                return mine;
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"fewer than {count} mails to {to} within 60 s");
    }
}
