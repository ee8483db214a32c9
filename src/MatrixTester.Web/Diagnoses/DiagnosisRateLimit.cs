using System.Globalization;
using System.Threading.RateLimiting;
using MatrixTester.Web.Abuse;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// The per-client bucket on asking for a diagnosis (<see cref="Policy"/>, sized by <c>Abuse:RateLimit</c>). Charged by
/// <see cref="DiagnosisAdmission"/> itself, not declared on endpoints: whatever the method, route, page handler or query
/// string, a request that reaches a diagnosis has passed here, and a request that only renders a page or reads a
/// stored result has not. One bucket per client whichever door it uses.
/// </summary>
public sealed class DiagnosisRateLimit : IDisposable
{
    public static RateLimitPolicy Policy { get; } = new("diagnoses", "refusal.diagnoses.title", "refusal.diagnoses.text");

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _period;
    private long _rejections;

    public DiagnosisRateLimit(IOptions<AbuseOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.RateLimit;
        _period = limits.ReplenishmentPeriod;
        Burst = limits.TokenLimit;
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => RateLimitPolicy.Bucket(limits)), StringComparer.Ordinal);
    }
    /// <summary>Requests refused so far (for the metrics).</summary>
    public long Rejections => Interlocked.Read(ref _rejections);

    /// <summary>The most tokens one request can take at once: a full bucket.</summary>
    public int Burst { get; }

    /// <summary>
    /// Takes <paramref name="count"/> tokens (one per diagnosis) from <paramref name="client"/>'s bucket, all or none:
    /// null when it had them, else how long until it has. At most <see cref="Burst"/>.
    /// </summary>
    public TimeSpan? TryTake(string client, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Burst);
        using var lease = _limiter.AttemptAcquire(client, count);
        if (lease.IsAcquired)
        {
            return null;
        }
        Interlocked.Increment(ref _rejections);
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _period;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>A wait in whole seconds for Retry-After and the sentences that quote it (at least 1).</summary>
    internal static string Seconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
