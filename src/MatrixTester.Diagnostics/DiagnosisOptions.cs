using System.ComponentModel.DataAnnotations;

namespace MatrixTester.Diagnostics;

/// <summary>Settings for the diagnosis engine, bound from the <c>Diagnosis</c> configuration section.</summary>
public sealed class DiagnosisOptions
{
    public const string Section = "Diagnosis";

    /// <summary>DNS servers as <c>ip</c> or <c>ip:port</c> (<c>[v6]:port</c>). Empty: the system's (/etc/resolv.conf).</summary>
    public IList<string> NameServers { get; } = [];

    /// <summary>A PEM file of extra trust anchors (private CAs, intranets, the test lab).</summary>
    public string? ExtraTrustedRoots { get; set; }

    /// <summary>Allow connections to loopback, private, link-local and other non-public addresses.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Non-public networks (CIDR) that may be probed even when <see cref="AllowPrivateNetworks"/> is false: an
    /// intranet install that should reach its own 10.20.0.0/16 but nothing else private.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>Everything one diagnosis does must finish within this; a partial report comes back after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan OverallDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One DNS query (all retries included).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>TCP connect plus TLS handshake to one address.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>One HTTP request, from sending it to the end of the body.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Budget of the two-way check (signed request plus notary query), always ending before the overall deadline.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan TwoWayTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Budget of the call token check (token requests, the service's call-back, the SFU's check), always ending before the overall deadline.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan TokenCheckTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Certificates expiring sooner than this get a warning.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan CertificateExpiryWarning { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Redirects followed for a well-known file before giving up.</summary>
    [Range(0, 50)]
    public int MaxRedirects { get; set; } = 10;

    /// <summary>Addresses probed per host name (a hostile zone could list hundreds).</summary>
    [Range(1, 64)]
    public int MaxAddressesPerHost { get; set; } = 8;

    /// <summary>Endpoints checked per diagnosis (addresses of all SRV targets together).</summary>
    [Range(1, 128)]
    public int MaxEndpoints { get; set; } = 16;

    /// <summary>SRV records followed per lookup.</summary>
    [Range(1, 64)]
    public int MaxSrvRecords { get; set; } = 10;

    /// <summary>
    /// The most bytes one report may take as JSON (stored, served, streamed). Every server-controlled string is
    /// capped where it enters a report; a report still larger loses its bulkiest evidence first (see
    /// <see cref="Reports.ReportBudget"/>), never its verdict.
    /// </summary>
    [Range(64 * 1024, 16 * 1024 * 1024)]
    public int MaxReportBytes { get; set; } = Reports.ReportBudget.DefaultMaxBytes;

    /// <summary>
    /// The public address of the site running the engine (or the one the CLI user names). Peers' admins who see our
    /// requests in their logs follow it to learn what is probing them; null: the User-Agent has no link.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>
    /// The one User-Agent every request sends (all go through one HTTP path): <c>MatrixTester/&lt;version&gt; (+&lt;url&gt;)</c>.
    /// Descriptive on purpose: some servers and WAFs block unknown or generic agents.
    /// </summary>
    public string UserAgent => BuildUserAgent(PublicUrl);

    internal static string BuildUserAgent(Uri? publicUrl) =>
        publicUrl is { IsAbsoluteUri: true, Scheme: "http" or "https" } url
            ? $"MatrixTester/{EngineVersion} (+{url.AbsoluteUri})"
            : $"MatrixTester/{EngineVersion}";

    /// <summary>The engine's version (major.minor.build), from the assembly.</summary>
    public static string EngineVersion { get; } = typeof(DiagnosisOptions).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
