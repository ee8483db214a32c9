using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.History;

/// <summary>
/// Stored reports for the readers that parse them: the permalink page, the Atom feed, comparisons and alert rules.
/// Each read is bounded by the report ceiling (<c>Diagnosis:MaxReportBytes</c>) before anything is loaded, so the
/// time and memory one read costs are bounded too; a row stored before reports had a ceiling is never parsed.
/// </summary>
public sealed class StoredReports(IResultStore store, IOptions<DiagnosisOptions> options)
{
    public int MaxBytes => options.Value.MaxReportBytes;

    /// <summary>The stored result, with its JSON only when it is within the ceiling (else <see cref="StoredResult.TooLarge"/>).</summary>
    public Task<StoredResult?> GetAsync(string id, CancellationToken cancellationToken) => store.GetAsync(id, MaxBytes, cancellationToken);

    /// <summary>The stored report as the engine's model; null when it is gone, too large or unreadable.</summary>
    public async Task<DiagnosisReport?> ReadAsync(string id, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken) is { TooLarge: false } stored ? ReportJson.Read(stored.Json) : null;
}
