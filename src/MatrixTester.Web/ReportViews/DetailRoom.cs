using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// The room one page has for technical details: the tables spend from one budget and the raw JSON disclosures from
/// another, so a large section's raw JSON never crowds out the next section's tables. What does not fit is left to
/// the JSON report, with a line saying so.
/// </summary>
public sealed class DetailRoom
{
    /// <summary>The raw JSON shown in the page's disclosures, together (the full report is one link away).</summary>
    public const int RawJsonBytes = 64 * 1024;

    public HtmlBudget Tables { get; } = new(HtmlBudget.DetailBytes - RawJsonBytes);

    private readonly HtmlBudget _raw = new(RawJsonBytes);

    /// <summary>The rows that fit, in order, and whether any were left out.</summary>
    public (IReadOnlyList<T> Shown, bool Omitted) Fit<T>(IReadOnlyList<T> rows, Func<T, string?[]> texts)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(texts);
        var shown = rows.TakeWhile(r => Tables.TrySpend(texts(r))).ToList();
        return (shown, shown.Count < rows.Count);
    }

    /// <summary>A section of the report as indented JSON, or null when it no longer fits on the page.</summary>
    public string? RawJson<T>(T section)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(section, ReportJson.Indented);
        return _raw.TrySpend(json) ? json : null;
    }
}

/// <summary>A partial's model: its part of the report, the page's room for details, and where the whole JSON report is (null when unsaved).</summary>
public sealed record DetailPart<T>(T Value, DetailRoom Room, string? JsonUrl = null)
{
    /// <summary>When the diagnosis ran: certificates are judged valid or not at that time.</summary>
    public DateTimeOffset TestedAt { get; init; }

    /// <summary>What a table is about, for its caption.</summary>
    public string? Caption { get; init; }
}
