using System.Text;
using MatrixTester.Diagnostics;
using MatrixTester.Web.Watches;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>Delivery against a real receiver: retries with backoff, and the address policy at connect time.</summary>
public sealed class WebhookSenderTests(WatchLab watch) : IClassFixture<WatchLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WebhookSender Sender(bool allowPrivate, int maxAttempts = 3) => new(
        Options.Create(new DiagnosisOptions { AllowPrivateNetworks = allowPrivate }),
        Options.Create(new MonitoringOptions { Webhook = { MaxAttempts = maxAttempts, RetryDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(5) } }),
        TimeProvider.System, NullLogger<WebhookSender>.Instance);

    private Watch Hook(string url) => new("w1", "example.org", null, url, "secret", null, "unsubscribe", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Failed_attempts_are_retried_until_one_succeeds_within_the_bound()
    {
        using var sender = Sender(allowPrivate: true);
        var before = watch.Hooks.Attempts;
        watch.Hooks.FailNext(2);
        Assert.True(await sender.SendAsync(Hook(watch.Hooks.Url.ToString()), Encoding.UTF8.GetBytes("""{"n":1}"""), Ct));
        Assert.Equal(3, watch.Hooks.Attempts - before);

        before = watch.Hooks.Attempts;
        watch.Hooks.FailNext(10);
        Assert.False(await sender.SendAsync(Hook(watch.Hooks.Url.ToString()), Encoding.UTF8.GetBytes("""{"n":2}"""), Ct));
        Assert.Equal(3, watch.Hooks.Attempts - before);
        watch.Hooks.FailNext(0);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_is_refused_when_it_connects()
    {
        // "localhost" passes the URL check (it is not an address literal) but resolves to loopback.
        using var sender = Sender(allowPrivate: false, maxAttempts: 1);
        var before = watch.Hooks.Attempts;
        var url = $"http://localhost:{watch.Hooks.Url.Port}/hook";
        Assert.Null(WebhookUrls.Problem(url.Replace("http:", "https:", StringComparison.Ordinal), sender.Policy));
        Assert.False(await sender.SendAsync(Hook(url), Encoding.UTF8.GetBytes("{}"), Ct));
        Assert.Equal(before, watch.Hooks.Attempts);
    }
}
