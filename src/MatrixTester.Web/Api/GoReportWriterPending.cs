// TEMPORARY: placeholder until the engine's GoReportWriter lands on main; delete on merge.
namespace MatrixTester.Diagnostics.Reports;

internal static class GoReportWriter
{
    public static string Write(DiagnosisReport report) => throw new NotSupportedException($"GoReportWriter is not merged yet ({report.Input}).");
}
