using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>A chip as a line of a batch answer has it: its stable key, label and state in words.</summary>
public sealed record ChipSummary(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("value")] string Value);

/// <summary>One problem (an error or a warning) in a summary line: its id, severity, verdict, words and docs page.</summary>
public sealed record ProblemSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("part")] string Part,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("docs")] string Docs);

/// <summary>
/// A report in one line, for batch answers (one JSON line per server name) and the command line's batch mode: the
/// name, the federation verdict as a token, its headline and one-line summary, the chips and the problems, all taken
/// from the reading, so a line says what the result page says. Chips are the reading's own list, whatever it holds.
/// </summary>
public sealed record ReadingSummary(
    [property: JsonPropertyName("server_name")] string ServerName,
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("headline")] string Headline,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("chips")] IReadOnlyList<ChipSummary> Chips,
    [property: JsonPropertyName("problems")] IReadOnlyList<ProblemSummary> Problems)
{
    public static ReadingSummary Of(ReportReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return new ReadingSummary(
            reading.Name,
            FederationStates.Token(reading.Federation.State),
            VerdictWords.Headline(reading.Federation.State),
            VerdictWords.Summary(reading),
            [.. VerdictWords.Chips(reading).Select(c => new ChipSummary(c.Key, c.Label, c.Value))],
            [.. reading.Report.Findings.Where(f => f.Severity != Severity.Info).OrderBy(f => f.PartOf()).ThenByDescending(f => f.Severity)
                .Select(f => new ProblemSummary(f.Id, f.Severity == Severity.Error ? "error" : "warning", PartToken(f.PartOf()), f.Summary, f.Subject, f.Docs))]);
    }

    private static string PartToken(ReportPart part) => part switch
    {
        ReportPart.Federation => "federation",
        ReportPart.Clients => "clients",
        ReportPart.TwoWay => "two_way",
        ReportPart.Calls => "calls",
        ReportPart.Login => "login",
        _ => "test",
    };
}
