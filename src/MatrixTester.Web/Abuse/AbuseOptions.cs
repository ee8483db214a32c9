using System.ComponentModel.DataAnnotations;

namespace MatrixTester.Web.Abuse;

/// <summary>
/// Limits that keep a public tester from being abused (configuration section <c>Abuse</c>). All of this state lives
/// in the memory of one instance: behind a load balancer, each instance counts on its own.
/// </summary>
public sealed class AbuseOptions
{
    public const string Section = "Abuse";

    /// <summary>Per client address token bucket for requests that start a diagnosis.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Diagnoses running at once on this instance; more wait in line.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentDiagnoses { get; set; } = 16;

    /// <summary>Diagnoses that may wait for a free slot; beyond this the site answers 503 with Retry-After.</summary>
    [Range(0, 100_000)]
    public int MaxQueuedDiagnoses { get; set; } = 64;

    /// <summary>
    /// Diagnoses one client (an IPv4 address or an IPv6 /64) may have running at once; its further ones wait in line.
    /// Values above <see cref="MaxConcurrentDiagnoses"/> act as that.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxRunningPerClient { get; set; } = 4;

    /// <summary>Diagnoses one client may have waiting in line; beyond this that client gets 429 with Retry-After.</summary>
    [Range(0, 100_000)]
    public int MaxQueuedPerClient { get; set; } = 8;

    /// <summary>
    /// The last places in line, kept for clients that have no diagnosis running or waiting: however many clients
    /// crowd the line, a newcomer still gets in. Values above <see cref="MaxQueuedDiagnoses"/> keep the whole line.
    /// </summary>
    [Range(0, 100_000)]
    public int QueueReservedForNewClients { get; set; } = 16;

    /// <summary>Retry-After sent with the 503 when the line is full, and with the 429 of a client whose share is taken.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A finished result for the same server name is shown again (same permalink) for this long. Zero: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReuseWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>"Run again" for one server name starts a new diagnosis at most this often. Zero: always.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RunAgainMinimumInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Server names one <c>POST /api/v2/batch</c> may ask for. Each counts as one diagnosis against the rate limit, so
    /// a batch can never ask for more than a full bucket (<see cref="RateLimitOptions.TokenLimit"/>): the smaller wins.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatchNames { get; set; } = 10;

    /// <summary>Reverse proxies whose X-Forwarded-For is believed (IP addresses). Empty: the header is ignored.</summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>Networks of such proxies, in CIDR notation (10.0.0.0/8).</summary>
    public List<string> KnownNetworks { get; } = [];
}

/// <summary>
/// One token bucket per client (<see cref="RateLimitPolicy"/>): a client may make <see cref="TokenLimit"/> requests in
/// a burst, then <see cref="TokensPerPeriod"/> more every <see cref="ReplenishmentPeriod"/>. No queue: excess gets
/// 429 at once.
/// </summary>
public sealed class RateLimitOptions
{
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 1;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(6);
}
