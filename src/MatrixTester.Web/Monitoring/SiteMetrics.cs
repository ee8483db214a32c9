using System.Diagnostics.Metrics;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;

namespace MatrixTester.Web.Monitoring;

/// <summary>
/// The site's instruments, on one <c>Meter("MatrixTester")</c> made by the host's meter factory (so two hosts in one
/// process, as in the tests, keep separate meters). /metrics exports them in the Prometheus text format.
/// </summary>
public sealed class SiteMetrics
{
    public const string MeterName = "MatrixTester";

    // Diagnoses take from milliseconds (invalid input) to the overall deadline (30 s by default).
    private static readonly double[] DiagnosisBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];
    private static readonly double[] StoreBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly Meter _meter;
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _findings;
    private readonly Histogram<double> _storeDuration;
    private long _active;
    private long _rateLimitRejections;
    private long _resultsNotSaved;

    public SiteMetrics(IMeterFactory meterFactory, DiagnosisRateLimit diagnosisRateLimit, DiagnosisSlots slots)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(diagnosisRateLimit);
        ArgumentNullException.ThrowIfNull(slots);
        var meter = _meter = meterFactory.Create(MeterName);
        _started = meter.CreateCounter<long>("matrixtester.diagnoses.started", "{diagnosis}", "Diagnoses started.");
        _finished = meter.CreateCounter<long>("matrixtester.diagnoses.finished", "{diagnosis}", "Diagnoses finished, by verdict.");
        _duration = meter.CreateHistogram("matrixtester.diagnosis.duration", "s", "Time from start to report of one diagnosis.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DiagnosisBuckets });
        _findings = meter.CreateCounter<long>("matrixtester.findings", "{finding}", "Findings reported, by finding id.");
        _storeDuration = meter.CreateHistogram("matrixtester.store.duration", "s", "Result store operation latency, by operation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StoreBuckets });
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
        meter.CreateObservableCounter("matrixtester.results.not_saved", () => Interlocked.Read(ref _resultsNotSaved), "{result}",
            "Finished diagnoses returned without a permalink because the result store was unavailable.");
    }

    /// <summary>The store's availability as two series: 1/0 now, and outages since start (see AddResultStore).</summary>
    public void ObserveStore(Func<bool> available, Func<long> outages)
    {
        ArgumentNullException.ThrowIfNull(available);
        ArgumentNullException.ThrowIfNull(outages);
        _meter.CreateObservableGauge("matrixtester.store.available", () => available() ? 1 : 0, "{state}",
            "1 while the result store answers, 0 during an outage (saves skipped, stored results answer 503).");
        _meter.CreateObservableCounter("matrixtester.store.outages", outages, "{outage}",
            "Result store outages since the site started (a circuit opened after repeated failures).");
    }

    public void ResultNotSaved() => Interlocked.Increment(ref _resultsNotSaved);

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
        _finished.Add(1, new KeyValuePair<string, object?>("verdict", report.Verdict.Status.ToString()));
        _duration.Record(report.Duration.TotalSeconds, new KeyValuePair<string, object?>("verdict", report.Verdict.Status.ToString()));
        foreach (var finding in report.Findings)
        {
            _findings.Add(1, new KeyValuePair<string, object?>("id", finding.Id));
        }
    }

    /// <summary>Called by the rate limiter's rejection hook (see <see cref="MetricsEndpoint.AddSiteMetrics"/>).</summary>
    public void RateLimitRejected() => Interlocked.Increment(ref _rateLimitRejections);

    public void StoreOperation(string operation, TimeSpan elapsed) =>
        _storeDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
}
