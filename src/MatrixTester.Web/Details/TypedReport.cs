using System.Text.Json;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.Details;

/// <summary>
/// A stored v2 report read back into the engine's own records, for the parts of a page that show its evidence as
/// tables (DNS answers, SRV records, certificates, keys, requests) and its facts at a glance.
/// </summary>
public static class TypedReport
{
    /// <summary>The report, or null when the stored JSON does not read as one (the page then shows the rest without tables).</summary>
    public static DiagnosisReport? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<DiagnosisReport>(json, ReportJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
