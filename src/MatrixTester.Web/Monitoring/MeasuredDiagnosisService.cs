using System.Runtime.CompilerServices;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.Monitoring;

/// <summary>Counts every diagnosis the site runs, whichever page, API or stream started it.</summary>
public sealed class MeasuredDiagnosisService(IDiagnosisService inner, SiteMetrics metrics) : IDiagnosisService
{
    public async IAsyncEnumerable<DiagnosisEvent> RunAsync(string input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        metrics.DiagnosisStarted();
        try
        {
            await foreach (var e in inner.RunAsync(input, cancellationToken).WithCancellation(cancellationToken))
            {
                if (e is CompletedEvent done)
                {
                    metrics.DiagnosisCompleted(done.Report);
                }
                yield return e;
            }
        }
        finally
        {
            metrics.DiagnosisEnded();
        }
    }
}
