using System.ComponentModel.DataAnnotations;

namespace MatrixTester.Web;

/// <summary>The federation statistics page, <c>/stats</c> (configuration section <c>Statistics</c>).</summary>
public sealed class StatisticsOptions
{
    public const string Section = "Statistics";

    /// <summary>False: no /stats page, and no facts are kept for it when results are stored.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long one computation of the page's figures is served.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A certificate issuer is named only when at least this many servers use it; fewer are "other".</summary>
    [Range(1, 1000)]
    public int MinimumServers { get; set; } = 3;
}
