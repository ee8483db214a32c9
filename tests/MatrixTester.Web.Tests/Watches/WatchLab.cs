using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using MatrixTester.Web.Watches;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// The parts a monitoring test needs: a lab, a healthy delegated server whose homeserver certificate can be
/// replaced while it runs, a real SMTP server process and a real webhook receiver. Without python3-aiosmtpd there is
/// no SMTP server: the tests that use it (every site configured by <see cref="Settings"/> mails through it) skip, and
/// fail under CI.
/// </summary>
public sealed class WatchLab : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://matrixtester.test/";
    private static int _servers;

    public FederationLab Lab { get; private set; } = null!;

    private SmtpSink? _mail;

    public SmtpSink Mail => _mail ?? throw SkipWithoutSmtp();

    public WebhookReceiver Hooks { get; private set; } = null!;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "matrixtester-watch-tests-" + Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        Lab = await FederationLab.StartAsync();
        if (Prerequisite.Aiosmtpd.Missing is null)
        {
            _mail = await SmtpSink.StartAsync();
        }
        Hooks = await WebhookReceiver.StartAsync();
    }

    /// <summary>Settings for a site that checks every <paramref name="interval"/> and mails through <see cref="Mail"/>.</summary>
    public Dictionary<string, string?> Settings(TimeSpan interval) => new()
    {
        ["Monitoring:Interval"] = interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Site:PublicUrl"] = PublicBaseUrl,
        ["Monitoring:Smtp:Host"] = "127.0.0.1",
        ["Monitoring:Smtp:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Monitoring:Smtp:Security"] = "None",
        ["Monitoring:Smtp:From"] = "MatrixTester <alerts@matrixtester.test>",
        ["Monitoring:Webhook:RetryDelay"] = "00:00:00.200",
        ["Monitoring:CreateTokenLimit"] = "1000",
    };

    private static InvalidOperationException SkipWithoutSmtp()
    {
        Requires.Part(Prerequisite.Aiosmtpd);
        return new InvalidOperationException("aiosmtpd was found but the SMTP sink did not start");
    }

    /// <summary>name → .well-known → hs.name:8448; the returned host is the homeserver, whose certificate tests replace.</summary>
    public async Task<(string Name, LabHttpsHost Homeserver)> ServerAsync()
    {
        var name = $"watched{Interlocked.Increment(ref _servers)}.example.test";
        var web = FederationLab.NewAddress();
        Lab.Zone.A(name, web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue(name), r => r.Delegate($"hs.{name}:8448"));
        var hs = FederationLab.NewAddress();
        Lab.Zone.A($"hs.{name}", hs.ToString());
        var key = LabSigningKey.Create();
        var host = await Lab.HttpsAsync(hs, 8448, Lab.Pki.Issue($"hs.{name}"), r => r.Homeserver(name, key));
        return (name, host);
    }

    /// <summary>Waits until a scheduled check after <paramref name="afterResultId"/> has been evaluated; returns its result id.</summary>
    public static async Task<string> NextCheckAsync(IServiceProvider services, string serverName, string? afterResultId)
    {
        var store = services.GetRequiredService<WatchStore>();
        var checks = await CheckSignal.ForAsync(services);
        return await checks.UntilAsync(
            async () => await store.StateAsync(serverName, CancellationToken.None) is { LastResultId: { } id } && id != afterResultId ? id : null,
            TimeSpan.FromSeconds(60),
            $"No scheduled check of {serverName} after {afterResultId}");
    }

    public async ValueTask DisposeAsync()
    {
        await Hooks.DisposeAsync();
        if (_mail is not null)
        {
            await _mail.DisposeAsync();
        }
        await Lab.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
