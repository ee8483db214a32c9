using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MatrixTester.Web.Watches;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// A webhook is stored, and gets alerts, only after it gave back the challenge of the verification request sent to it
/// while the watch is created. Against the lab's real receiver, answering in each way a receiver might.
/// </summary>
public sealed class WebhookVerificationTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(VerificationAnswer.Json)]
    [InlineData(VerificationAnswer.PlainText)]
    public async Task A_receiver_that_gives_the_challenge_back_is_active_at_once(VerificationAnswer answer)
    {
        watch.Hooks.Answer = answer;
        await using var site = Site($"verified-{answer}");
        var name = $"verified-{answer}.example.org".ToLowerInvariant();
        var before = watch.Hooks.Verifications.Count;

        using var created = await site.CreateClient().PostAsJsonAsync("/api/v2/watches", new { server_name = name, webhook = watch.Hooks.Url.ToString() }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var hook = Assert.Single((await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("watches").EnumerateArray());
        Assert.Equal("active", hook.GetProperty("status").GetString());
        Assert.True(Assert.Single(await site.Services.GetRequiredService<WatchStore>().ActiveAsync(name, Ct)).IsActive);

        var request = Assert.Single(watch.Hooks.Verifications.Skip(before));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Null(request.Signature);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("verification", body.GetProperty("type").GetString());
        Assert.Equal(name, body.GetProperty("server_name").GetString());
        Assert.Equal(43, body.GetProperty("challenge").GetString()!.Length);
        // The handshake is not an alert.
        Assert.Empty(watch.Hooks.Deliveries);
    }

    [Theory]
    [InlineData(VerificationAnswer.Nothing, "did not give the challenge back")]
    [InlineData(VerificationAnswer.Echo, "did not give the challenge back")]
    [InlineData(VerificationAnswer.Refuse, "HTTP 403")]
    public async Task A_receiver_that_does_not_give_the_challenge_back_gets_no_watch(VerificationAnswer answer, string reason)
    {
        watch.Hooks.Answer = answer;
        try
        {
            await using var site = Site($"refused-{answer}");
            var name = $"refused-{answer}.example.org".ToLowerInvariant();
            var mailbox = $"also-{Guid.NewGuid():N}@example.org";

            using var refused = await site.CreateClient().PostAsJsonAsync("/api/v2/watches", new { server_name = name, email = mailbox, webhook = watch.Hooks.Url.ToString() }, Ct);

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString();
            Assert.Contains("did not confirm that it wants these alerts", detail, StringComparison.Ordinal);
            Assert.Contains(reason, detail, StringComparison.Ordinal);
            // Nothing stored, not even the email watch asked for alongside, and no confirmation mailed.
            var store = site.Services.GetRequiredService<WatchStore>();
            Assert.Equal(0, await store.CountForServerAsync(name, Ct));
            Assert.DoesNotContain(watch.Mail.Messages(), m => m.To.Mailboxes.Any(a => a.Address == mailbox));
        }
        finally
        {
            watch.Hooks.Answer = VerificationAnswer.Json;
        }
    }

    [Fact]
    public async Task A_receiver_that_never_answers_is_refused_within_the_webhook_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var accepted = new CancellationTokenSource();
        // Accepts the connection and then says nothing.
        var held = Task.Run(async () =>
        {
            using var socket = await silent.AcceptSocketAsync(accepted.Token);
            await Task.Delay(Timeout.Infinite, accepted.Token);
        }, Ct);
        await using var site = Site("silent", ("Monitoring:Webhook:Timeout", "00:00:01"));

        using var refused = await site.CreateClient().PostAsJsonAsync("/api/v2/watches",
            new { server_name = "silent.example.org", webhook = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/hook" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("did not answer within 1 s", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await accepted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
    }

    [Theory]
    [InlineData("{\"challenge\": \"C\"}", true)]
    [InlineData("C", true)]
    [InlineData("  C\r\n", true)]
    [InlineData("{\"challenge\": \"C\", \"type\": \"verification\"}", false)]
    [InlineData("{\"challenge\": \"D\"}", false)]
    [InlineData("{\"challenge\": [\"C\"]}", false)]
    [InlineData("[\"C\"]", false)]
    [InlineData("", false)]
    [InlineData("{\"\\ud800\": 1, \"challenge\": \"C\"}", false)]
    public void Only_the_challenge_alone_counts_as_an_answer(string answer, bool accepted) =>
        Assert.Equal(accepted, WebhookSender.GivesBack(System.Text.Encoding.UTF8.GetBytes(answer), "C"));

    private SiteFactory Site(string directory, params (string Key, string Value)[] extra)
    {
        var settings = watch.Settings(TimeSpan.FromHours(6));
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return new SiteFactory(watch.Lab, Path.Combine(watch.DataDirectory, directory), settings);
    }
}
