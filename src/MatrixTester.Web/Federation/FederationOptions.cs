using System.ComponentModel.DataAnnotations;
using MatrixTester.Web.Abuse;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Configuration section <c>Federation</c>: the tester's own Matrix identity, used by the two-way check. Without
/// <see cref="ServerName"/> the site has no identity: the check reports "not configured" and everything under
/// <c>/_matrix/</c> answers 404 <c>M_UNRECOGNIZED</c>.
/// </summary>
public sealed class FederationOptions
{
    public const string Section = "Federation";

    /// <summary>Our server name (e.g. <c>federationtester.example.org</c>): the <c>origin</c> of our signed requests.</summary>
    public string? ServerName { get; set; }

    /// <summary>
    /// The long-term signing key, in Synapse's format (<c>ed25519 &lt;version&gt; &lt;unpadded base64 seed&gt;</c>).
    /// Created (mode 0600) on first start when missing. Empty: <c>signing.key</c> in <c>Storage:DataDirectory</c>.
    /// Every instance of a deployment must use the same file.
    /// </summary>
    public string SigningKeyPath { get; set; } = "";

    /// <summary>Optional <c>m.server</c> served at <c>/.well-known/matrix/server</c> (e.g. <c>tester.example.org:443</c>).</summary>
    public string? WellKnownServer { get; set; }

    /// <summary>How long a probe key is served (and its inbound log kept).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan ProbeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A probe of the same target started less than this ago is reused (one probe per target per minute).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ProbeReuse { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many probe keys are active at once (the key response stays small and cheap to sign).</summary>
    [Range(1, 1000)]
    public int MaxActiveProbes { get; set; } = 64;

    /// <summary>
    /// At most this many of the active probes belong to one client (the address that asked for the diagnosis; IPv6 by
    /// /64), so one client cannot take every probe. Diagnoses no visitor asked for (watches) count only towards
    /// <see cref="MaxActiveProbes"/>. At most <see cref="MaxActiveProbes"/>.
    /// </summary>
    [Range(1, 1000)]
    public int MaxActiveProbesPerClient { get; set; } = 8;

    /// <summary>At most this many fetches are recorded per source address (IPv6: per /64) per minute, and listed per probe.</summary>
    [Range(1, 1000)]
    public int MaxInboundPerProbe { get; set; } = 32;

    /// <summary>How long the call token check's OpenID tokens are valid at most (each check ends them when it ends).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:10:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>At most one call token check per target in this much time, on every instance together.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many call token checks run at once (each asks at most three authorization services).</summary>
    [Range(1, 1000)]
    public int MaxActiveTokenChecks { get; set; } = 16;

    /// <summary>At most this many of them for one client (the address that asked for the diagnosis; IPv6 by /64). At most <see cref="MaxActiveTokenChecks"/>.</summary>
    [Range(1, 1000)]
    public int MaxActiveTokenChecksPerClient { get; set; } = 2;

    /// <summary>At most this many calls of our userinfo endpoint are recorded per token (the rest are answered, not recorded).</summary>
    [Range(1, 100)]
    public int MaxCallbacksPerToken { get; set; } = 8;

    /// <summary>Per client address token bucket on the federation endpoints (<c>/_matrix/…</c>, the well-known file).</summary>
    public RateLimitOptions RateLimit { get; set; } = new() { TokenLimit = 60, TokensPerPeriod = 30, ReplenishmentPeriod = TimeSpan.FromSeconds(10) };
}
