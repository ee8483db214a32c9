using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.ReportFormats;

namespace MatrixTester.Diagnostics.Tests.Budget;

/// <summary>The hard ceiling on a report: what fits stays untouched; what does not loses evidence, never its verdict.</summary>
public sealed class ReportBudgetTests
{
    private const int Ceiling = 64 * 1024;
    private static readonly FindingDefinition Odd = new("test.odd", Severity.Warning, "Odd", "keys", "Fix it.");

    /// <summary>Sample A with 200 requests of 2 KiB of headers each on its good address: about 450 KiB.</summary>
    private static DiagnosisReport WithManyRequests()
    {
        var sample = SampleReports.SampleA();
        var exchange = sample.Discovery!.WellKnown.Attempts[0].Requests[0] with
        {
            Headers = Enumerable.Range(0, 8).ToDictionary(i => $"x-pad-{i}", _ => new string('<', 250)),
        };
        return sample with { Connections = [sample.Connections[0], sample.Connections[1] with { Requests = [.. Enumerable.Repeat(exchange, 200)] }] };
    }

    [Fact]
    public void A_report_that_fits_is_returned_unchanged()
    {
        var report = SampleReports.SampleA();
        Assert.Same(report, ReportBudget.Fit(report, Ceiling));
        Assert.Null(report.Trimmed);
    }

    [Fact]
    public void A_report_over_the_ceiling_sheds_the_bulkiest_evidence_first_and_says_so()
    {
        var report = WithManyRequests();
        Assert.True(ReportBudget.Measure(report) > 400 * 1024);

        var fitted = ReportBudget.Fit(report, Ceiling);

        Assert.True(ReportBudget.Measure(fitted) <= Ceiling);
        Assert.Equal(["the header fields and body starts of each request", "the key responses as received", "the list of requests made"], fitted.Trimmed);
        Assert.Equal(report.Verdict, fitted.Verdict);
        Assert.Equal(report.Findings, fitted.Findings);
        Assert.Empty(fitted.Connections[1].Requests);
        Assert.Equal(report.Connections.Select(c => (c.Endpoint.Key, c.Passed)), fitted.Connections.Select(c => (c.Endpoint.Key, c.Passed)));
    }

    [Fact]
    public void Nothing_can_exceed_the_ceiling_the_last_resort_keeps_the_verdict_and_the_most_severe_findings()
    {
        var sample = SampleReports.SampleA();
        var flood = Enumerable.Range(0, 1000).Select(i => Odd.Create($"odd thing {i} {new string('&', 900)}", new string('<', 4000), $"s{i}"));
        var report = sample with { Findings = [.. sample.Findings, .. flood] };

        var fitted = ReportBudget.Fit(report, Ceiling);

        Assert.True(ReportBudget.Measure(fitted) <= Ceiling);
        Assert.Equal(ReportTrimming.FindingsPart, fitted.Trimmed![^1]);
        Assert.Equal(report.Verdict, fitted.Verdict);
        Assert.InRange(fitted.Findings.Count, 2, 100);
        Assert.Equal(report.Findings.Take(fitted.Findings.Count), fitted.Findings);
        Assert.Equal("net.timeout", fitted.Findings[0].Id);
        // Not one finding more would have fitted.
        Assert.True(ReportBudget.Measure(fitted with { Findings = [.. report.Findings.Take(fitted.Findings.Count + 1)] }) > Ceiling);
    }

    [Fact]
    public void The_bodies_read_by_the_checks_do_not_stay_in_the_report()
    {
        var report = SampleReports.SampleA();
        Assert.NotEmpty(report.Discovery!.WellKnown.Attempts[0].Requests[0].Body);
        var stripped = ReportTrimming.WithoutBodies(report);
        Assert.Empty(stripped.Discovery!.WellKnown.Attempts[0].Requests[0].Body);
        Assert.Equal(38, stripped.Discovery.WellKnown.Attempts[0].Requests[0].BodyLength);
    }

    [Fact]
    public void The_ceiling_is_a_setting_with_a_floor_that_leaves_room_for_the_verdict()
    {
        var property = typeof(DiagnosisOptions).GetProperty(nameof(DiagnosisOptions.MaxReportBytes))!;
        var range = (System.ComponentModel.DataAnnotations.RangeAttribute)property.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.RangeAttribute), false).Single();
        Assert.Equal(64 * 1024, range.Minimum);
        Assert.Equal(512 * 1024, new DiagnosisOptions().MaxReportBytes);
    }
}
