using System.Diagnostics.Metrics;

namespace MatrixTester.Web.Storage;

/// <summary>The store's instruments: how long each call takes, whether the store answers, and how many outages so far.</summary>
public sealed class StoreMetrics
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly Histogram<double> _duration;

    public StoreMetrics(IMeterFactory meterFactory, StoreAvailability availability)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(availability);
        var meter = meterFactory.Create(SiteMeter.Name);
        _duration = meter.CreateHistogram("matrixtester.store.duration", "s", "Result store operation latency, by operation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        // Observable, so both series exist (at 1 and 0) from the first scrape instead of appearing with the first outage.
        meter.CreateObservableGauge("matrixtester.store.available", () => availability.IsAvailable ? 1 : 0, "{state}",
            "1 while the result store answers, 0 during an outage (saves skipped, stored results answer 503).");
        meter.CreateObservableCounter("matrixtester.store.outages", () => availability.Outages, "{outage}",
            "Result store outages since the site started (a circuit opened after repeated failures).");
    }

    public void Operation(string operation, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
}
