using System.Net;

namespace MatrixTester.Web.Monitoring;

/// <summary>Configuration section <c>Metrics</c>: the Prometheus endpoint.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve <c>/metrics</c>. Off by default: the endpoint does not exist (404).</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.0.0.0/8</c>) allowed to scrape besides loopback, which always is. Others get 404.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    public IReadOnlyList<IPNetwork> ParsedNetworks() =>
        [.. AllowedNetworks.Select(n => IPNetwork.Parse(n.Trim()))];

    public bool NetworksAreValid() => AllowedNetworks.All(n => IPNetwork.TryParse(n.Trim(), out _));
}
