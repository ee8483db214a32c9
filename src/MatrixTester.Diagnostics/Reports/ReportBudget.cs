using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// The hard ceiling on one report. Every server-controlled string is already capped where it enters
/// (<see cref="ReportText"/>), so a report from a real server is far below it (a healthy one is 10–60 KiB). One
/// that is still larger, from a server padding everything on many addresses, loses evidence in a fixed order, the
/// bulkiest and least needed first (<see cref="ReportTrimming.Steps"/>), until it fits; as a last resort only the
/// verdict and the most severe findings that fit are left. <see cref="DiagnosisReport.Trimmed"/> says what went.
/// </summary>
public static class ReportBudget
{
    /// <summary>512 KiB: about ten times the largest report of a real server, and what a page can show at once.</summary>
    public const int DefaultMaxBytes = 512 * 1024;

    /// <summary>The report's size as stored and served (UTF-8 JSON in <see cref="ReportJson.Options"/>).</summary>
    public static int Measure(DiagnosisReport report) => JsonSerializer.SerializeToUtf8Bytes(report, ReportJson.Options).Length;

    /// <summary><paramref name="report"/> itself when it fits in <paramref name="maxBytes"/>, else a trimmed copy that does.</summary>
    public static DiagnosisReport Fit(DiagnosisReport report, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (Measure(report) <= maxBytes)
        {
            return report;
        }
        var trimmed = new List<string>();
        foreach (var (part, trim) in ReportTrimming.Steps)
        {
            report = trim(report);
            trimmed.Add(part);
            if (Measure(report with { Trimmed = trimmed }) <= maxBytes)
            {
                return report with { Trimmed = trimmed };
            }
        }
        trimmed.Add(ReportTrimming.FindingsPart);
        return KeepFindingsThatFit(report with { Trimmed = trimmed }, maxBytes);
    }

    /// <summary>The last resort: the most severe findings that fit (they are ordered errors first), found by bisection.</summary>
    private static DiagnosisReport KeepFindingsThatFit(DiagnosisReport report, int maxBytes)
    {
        var (fits, tooMany) = (0, report.Findings.Count + 1);
        while (tooMany - fits > 1)
        {
            var middle = (fits + tooMany) / 2;
            if (Measure(report with { Findings = [.. report.Findings.Take(middle)] }) <= maxBytes)
            {
                fits = middle;
            }
            else
            {
                tooMany = middle;
            }
        }
        return report with { Findings = [.. report.Findings.Take(fits)] };
    }
}
