using System.Text.Json;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// A finished or stored report as the page shows it: the engine's typed report and its <see cref="ReportReading"/>
/// (what it says), plus what only the site knows (its permalink id, when it was stored, whether it was saved). A stored
/// report is read back from its JSON once (<see cref="ReportJson.Read"/>), so a permalink renders what was stored.
/// </summary>
public sealed record ReportView(string Id, DateTimeOffset CreatedAt, ReportReading Reading)
{
    public DiagnosisReport Report => Reading.Report;

    public string Input => Report.Input;

    public string? ServerName => Report.ServerName;

    public string DisplayName => Reading.Name;

    /// <summary>False for a finished result the store could not keep: the page shows why instead of a permalink.</summary>
    public bool Saved { get; init; } = true;

    /// <summary>
    /// A finished diagnosis as the page shows it, saved or not: read from its stored form, as its permalink will be, so
    /// the two render alike to the last digit (the stored form keeps durations to 0.1 ms).
    /// </summary>
    public static ReportView From(FinishedDiagnosis finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        var report = ReportJson.Read(finished.Result.Json) ?? finished.Report;
        return new ReportView(finished.Result.Id, finished.Result.CreatedAt, ReportReading.Of(report)) { Saved = finished.Saved };
    }

    /// <summary>A stored result; null when its JSON is not a report this version can read (the page then says so).</summary>
    public static ReportView? From(StoredResult stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return ReportJson.Read(stored.Json) is { } report ? new ReportView(stored.Id, stored.CreatedAt, ReportReading.Of(report)) : null;
    }

    /// <summary>A part of the report as raw JSON, for the detail trees that show every recorded field.</summary>
    public static JsonElement Raw<T>(T part) => JsonSerializer.SerializeToElement(part, ReportJson.Options);
}
