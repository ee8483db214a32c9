using System.Text.Json;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>Assertions on both answers of a lab run: the v2 verdict (what peers do) and the Go-compatible report.</summary>
internal static class PeerVerdict
{
    /// <summary>The run's report in the reference tester's format, parsed.</summary>
    public static JsonElement Go(LabRun run) => JsonDocument.Parse(GoReportWriter.Write(run.Report)).RootElement.Clone();

    public static JsonElement AssertVerdict(LabRun run, VerdictStatus status, bool goFederationOk)
    {
        var all = string.Join("\n", run.Findings.Select(f => $"{f.Severity} {f.Id} [{f.Subject}]: {f.Summary}"));
        Assert.True(status == run.Report.Verdict.Status, $"expected {status}, got {run.Report.Verdict.Status}:\n{all}");
        Assert.Equal(goFederationOk, run.Report.Verdict.FederationOk);
        var go = Go(run);
        Assert.Equal(goFederationOk, go.GetProperty("FederationOK").GetBoolean());
        return go;
    }

    public static Finding AssertFinding(LabRun run, string id, Severity severity, string? subject = null)
    {
        var matches = run.Findings.Where(f => f.Id == id && (subject is null || f.Subject == subject)).ToList();
        Assert.True(matches.Count > 0, $"expected {id} ({subject}); got {string.Join(", ", run.Findings.Select(f => $"{f.Id} [{f.Subject}]"))}");
        Assert.All(matches, f => Assert.Equal(severity, f.Severity));
        return matches[0];
    }

    public static void AssertNo(LabRun run, string id) =>
        Assert.DoesNotContain(run.Findings, f => f.Id == id);

    /// <summary>The Go report's <c>Checks</c> for one address.</summary>
    public static JsonElement Checks(JsonElement go, string endpointKey) =>
        go.GetProperty("ConnectionReports").GetProperty(endpointKey).GetProperty("Checks");
}
