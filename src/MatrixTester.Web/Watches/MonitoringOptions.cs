using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MatrixTester.Web.Watches;

/// <summary>Watches, scheduled re-checks and alerts (configuration section <c>Monitoring</c>).</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>How often each watched server name is checked again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// <c>Site:PublicUrl</c>, copied in at start (not bound here: the site has one public address), for the links in
    /// mails and webhooks: a background check has no request to take the host from. Null: email watches are refused.
    /// </summary>
    internal Uri? PublicUrl { get; set; }

    /// <summary>Watches one server name may have (email and webhook together).</summary>
    [Range(1, 100_000)]
    public int MaxWatchesPerServer { get; set; } = 50;

    /// <summary>Watches one email address may have.</summary>
    [Range(1, 100_000)]
    public int MaxWatchesPerEmail { get; set; } = 20;

    /// <summary>Per client address: watches created in a burst, then one more per <see cref="CreateReplenishmentPeriod"/>.</summary>
    [Range(1, 1_000_000)]
    public int CreateTokenLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan CreateReplenishmentPeriod { get; set; } = TimeSpan.FromMinutes(10);

    public SmtpOptions Smtp { get; set; } = new();

    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>An absolute link under <c>Site:PublicUrl</c>.</summary>
    public string Link(string pathAndQuery) => new Uri(PublicUrl ?? new Uri("http://localhost/"), pathAndQuery).ToString();
}

[JsonConverter(typeof(JsonStringEnumConverter<SmtpSecurity>))]
public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it (MailKit's Auto).</summary>
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>The mail relay alerts and confirmations go through (<c>Monitoring:Smtp</c>). Empty host: no mail.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Sender address: "MatrixTester &lt;alerts@example.org&gt;" or a bare address.</summary>
    public string From { get; set; } = "";

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>Optional: authenticate when set.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>How alerts are delivered to webhooks (<c>Monitoring:Webhook</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Per attempt: connect, send and read the answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts in all, the first included.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; doubled before each later one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes of the receiver's answer read at most (the rest is not waited for).</summary>
    [Range(0, 1_048_576)]
    public int MaxResponseBytes { get; set; } = 16_384;
}
