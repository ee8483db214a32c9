using System.Diagnostics.Metrics;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;

namespace MatrixTester.Web.Monitoring;

/// <summary>
/// The diagnoses' instruments, on the site's meter (<see cref="SiteMeter"/>; the store has its own instruments on it,
/// StoreMetrics). /metrics exports them in the Prometheus text format.
/// </summary>
public sealed class SiteMetrics
{
    // Diagnoses take from milliseconds (invalid input) to the overall deadline (30 s by default).
    private static readonly double[] DiagnosisBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];

    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _findings;
    private long _active;
    private long _rateLimitRejections;

    public SiteMetrics(IMeterFactory meterFactory, DiagnosisRateLimit diagnosisRateLimit, DiagnosisSlots slots, PermalinkWriter permalinks)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(diagnosisRateLimit);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(permalinks);
        var meter = meterFactory.Create(SiteMeter.Name);
        _started = meter.CreateCounter<long>("matrixtester.diagnoses.started", "{diagnosis}", "Diagnoses started.");
        _finished = meter.CreateCounter<long>("matrixtester.diagnoses.finished", "{diagnosis}", "Diagnoses finished, by verdict.");
        _duration = meter.CreateHistogram("matrixtester.diagnosis.duration", "s", "Time from start to report of one diagnosis.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DiagnosisBuckets });
        _findings = meter.CreateCounter<long>("matrixtester.findings", "{finding}", "Findings reported, by finding id.");
        // Observable, so both series exist (at 0) from the first scrape instead of appearing on first use.
        meter.CreateObservableUpDownCounter("matrixtester.diagnoses.active", () => Interlocked.Read(ref _active), "{diagnosis}",
            "Diagnoses running now on this instance.");
        // The diagnosis bucket is charged at admission; the endpoint policies (watches, federation) by the middleware.
        meter.CreateObservableCounter("matrixtester.rate_limit.rejections", () => Interlocked.Read(ref _rateLimitRejections) + diagnosisRateLimit.Rejections,
            "{request}", "Requests refused by the rate limiter.");
        meter.CreateObservableCounter("matrixtester.diagnoses.refused", () => new[]
        {
            new Measurement<long>(slots.Refusals(SlotRefusal.ClientShare), new KeyValuePair<string, object?>("reason", "client_share")),
            new Measurement<long>(slots.Refusals(SlotRefusal.Full), new KeyValuePair<string, object?>("reason", "busy")),
        }, "{request}", "Requests for a new diagnosis refused: the client's fair share was taken (429), or the tester was full (503).");
        meter.CreateObservableCounter("matrixtester.results.not_saved", () => permalinks.NotSaved, "{result}",
            "Finished diagnoses returned without a permalink because the result store was unavailable.");
    }

    public void DiagnosisStarted()
    {
        _started.Add(1);
        Interlocked.Increment(ref _active);
    }

    /// <summary>Called once per started diagnosis, whether it completed or was cancelled.</summary>
    public void DiagnosisEnded() => Interlocked.Decrement(ref _active);

    public void DiagnosisCompleted(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // The federation state as the reading decides it, by name (as stored with each result): a run the time limit
        // stopped counts as Incomplete, not as Broken.
        var verdict = ReportReading.Of(report).Federation.State.ToString();
        _finished.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
        _duration.Record(report.Duration.TotalSeconds, new KeyValuePair<string, object?>("verdict", verdict));
        foreach (var finding in report.Findings)
        {
            _findings.Add(1, new KeyValuePair<string, object?>("id", finding.Id));
        }
    }

    /// <summary>Called by the rate limiter's one rejection handler (RefusalServices), for every endpoint policy.</summary>
    public void RateLimitRejected() => Interlocked.Increment(ref _rateLimitRejections);
}
