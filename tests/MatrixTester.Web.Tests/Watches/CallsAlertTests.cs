using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MatrixTester.Lab.Calls;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// A change of the calls verdict alone is worth an alert: federation keeps working, the authorization service of a
/// watched server stops answering, and one mail and one webhook say so in words of their own.
/// </summary>
public sealed class CallsAlertTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_breaking_while_federation_works_sends_one_mail_and_one_webhook_about_calls()
    {
        var server = await new LabCallsServer(watch.Lab, "callswatch.example.test").StartAsync();
        var name = server.ServerName;
        await using var site = new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, "calls-alerts"), watch.Settings(TimeSpan.FromSeconds(2)));
        var client = site.CreateClient();
        using (var first = await client.GetAsync($"/api/v2/report?server_name={name}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var created = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = name, email = "calls@example.test", webhook = watch.Hooks.Url.ToString() }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var mailsBefore = watch.Mail.Messages().Count;
        var hooksBefore = watch.Hooks.Deliveries.Count;
        var confirmation = (await watch.Mail.WaitForAsync(mailsBefore + 1, TimeSpan.FromSeconds(20)))[^1];
        var confirm = new Uri(Regex.Match(confirmation.TextBody ?? "", Regex.Escape(WatchLab.PublicBaseUrl.TrimEnd('/') + "/watches/confirm") + @"\?token=[A-Za-z0-9_-]+").Value);
        using (var confirmed = await client.PostAsync(confirm.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = confirm.Query["?token=".Length..] }), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        // Checks that change nothing send nothing.
        var check = await WatchLab.NextCheckAsync(site.Services, name, null);
        await WatchLab.NextCheckAsync(site.Services, name, check);
        Assert.Equal(hooksBefore, watch.Hooks.Deliveries.Count);

        server.ServiceHost!.Routes.Json("/livekit/jwt/healthz", "<html>502 Bad Gateway</html>", 502, "text/html");
        var hook = (await watch.Hooks.WaitForAsync(hooksBefore + 1, TimeSpan.FromSeconds(60)))[^1];
        var mail = (await watch.Mail.WaitForAsync(mailsBefore + 2, TimeSpan.FromSeconds(30)))[^1];

        var payload = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal(("works", "works", "broken", "oidc"),
            (payload.GetProperty("verdict").GetString(), payload.GetProperty("previous").GetString(), payload.GetProperty("calls").GetString(), payload.GetProperty("login").GetString()));
        Assert.Contains(payload.GetProperty("changes").EnumerateArray(),
            c => c.GetProperty("kind").GetString() == "calls" && c.GetProperty("description").GetString() == "Calls: changed from ready to broken.");
        Assert.DoesNotContain(payload.GetProperty("changes").EnumerateArray(), c => c.GetProperty("kind").GetString() == "verdict");

        Assert.Equal($"[MatrixTester] {name}: calls broken", mail.Subject);
        var text = (mail.TextBody ?? "").ReplaceLineEndings("\n");
        Assert.Contains("Federation: works. ", text, StringComparison.Ordinal);
        Assert.Contains("\nCalls: broken (its own verdict).\n", text, StringComparison.Ordinal);
        Assert.Contains("\nLogin: OIDC (its own verdict).", text, StringComparison.Ordinal);
        Assert.Contains("[Error (calls)] The call authorization service at", text, StringComparison.Ordinal);
    }
}
