using MatrixTester.Web.Abuse;
namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// On whose behalf a diagnosis is asked for: the key its rate limit and its fair share are counted under, and whether
/// the rate limit applies. Visitors are their address (<see cref="ClientAddress.PartitionKey"/>, the forwarded one
/// behind a trusted proxy); the site's own scheduled checks are one client of their own, outside the rate limit (the
/// watch limits bound them) but inside the fair shares, so they never crowd out visitors.
/// </summary>
public sealed record DiagnosisClient(string Key, bool RateLimited)
{
    /// <summary>The site's scheduled checks of watched server names (a key no address can have).</summary>
    public static DiagnosisClient ScheduledChecks { get; } = new("scheduled checks", RateLimited: false);

    /// <summary>The client that sent this request.</summary>
    public static DiagnosisClient Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new(ClientAddress.PartitionKey(context.Connection.RemoteIpAddress), RateLimited: true);
    }
}
