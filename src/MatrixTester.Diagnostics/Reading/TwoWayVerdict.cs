using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>Does this server reach us and accept our signed request: its own verdict (docs/two-way.md#verdict).</summary>
public sealed record TwoWayVerdict(TwoWayStatus State, string Summary)
{
    public Tone Tone => State switch
    {
        TwoWayStatus.Works => Tone.Good,
        TwoWayStatus.Broken => Tone.Bad,
        _ => Tone.Neutral,
    };

    /// <summary>Null when the report has no two-way section (an invalid input, or a report from before the check existed).</summary>
    public static TwoWayVerdict? Of(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.TwoWay is { } twoWay ? new TwoWayVerdict(twoWay.Status, twoWay.Words()) : null;
    }
}
