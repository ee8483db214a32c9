using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Tests.ReportFormats;

public sealed class GoReportWriterTests
{
    private static string Golden(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "Golden", file)).ReplaceLineEndings("\n").TrimEnd();

    [Fact]
    public void Sample_A_of_the_reference_format_is_reproduced_byte_for_byte()
    {
        var report = SampleReports.SampleA();
        Assert.False(report.Verdict.FederationOk);
        Assert.Equal(Golden("go-sample-a.json"), GoReportWriter.Write(report).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_two_way_result_and_its_findings_leave_the_compatible_report_unchanged()
    {
        var report = SampleReports.SampleA();
        var broken = report with
        {
            TwoWay = SampleReports.TwoWaySample with { Status = Diagnostics.TwoWay.TwoWayStatus.Broken },
            Findings = [.. report.Findings, Diagnostics.TwoWay.TwoWayFindings.OutboundBlocked.Create("blocked", "no fetch", "example.org"), Diagnostics.TwoWay.TwoWayFindings.NotConfigured.Create("n", "n")],
        };
        var without = report with { TwoWay = null };
        Assert.NotNull(report.TwoWay);
        Assert.Equal(GoReportWriter.Write(without), GoReportWriter.Write(report));
        Assert.Equal(GoReportWriter.Write(without), GoReportWriter.Write(broken));
        Assert.DoesNotContain("twoWay", GoReportWriter.Write(report), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_invalid_server_name_has_the_reference_shape_with_an_error()
    {
        var finding = new Finding("server_name.invalid", Severity.Error, "bad", "bad", "fix", "server-names");
        var report = new DiagnosisReport
        {
            Input = "https://x",
            StartedAt = SampleReports.Now,
            Duration = TimeSpan.Zero,
            Findings = [finding],
            Verdict = new Verdict(VerdictStatus.Broken, false, null, null, "bad"),
        };
        Assert.Equal(Golden("go-invalid-name.json"), GoReportWriter.Write(report).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Html_significant_characters_are_escaped_like_go()
    {
        var report = SampleReports.SampleA() with { Input = "<x>", ServerName = null };
        var json = GoReportWriter.Write(report);
        Assert.Contains("Invalid server name '\\u003cx\\u003e'", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", json, StringComparison.Ordinal);
    }
}
