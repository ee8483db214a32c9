using System.Reflection;
using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Findings;

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One thing the diagnosis noticed: what was seen (<see cref="Summary"/> and <see cref="Detail"/>), how to fix it,
/// and the docs page (slug, optionally with #anchor) that explains it. <see cref="Subject"/> names what it is
/// about: an address ("192.0.2.1:8448"), a host, or null for the server as a whole. The texts are English (reports
/// and the JSON APIs keep them); <see cref="Phrases"/> keeps what they were made of, so pages, mails and the CLI can
/// write them in the reader's language (<see cref="FindingWords.Words"/>).
/// </summary>
public sealed record Finding(
    string Id,
    Severity Severity,
    string Summary,
    string Detail,
    string Fix,
    string Docs,
    string? Subject = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FindingPhrases? Phrases = null);

/// <summary>
/// The stable part of a finding: id, severity, docs link and default fix-it text. Each module declares its
/// definitions as static fields of a static class (e.g. <c>WellKnownFindings</c>); <see cref="FindingCatalog"/>
/// collects them, so the docs reference page and tests can list every id.
/// </summary>
public sealed record FindingDefinition(string Id, Severity Severity, string Title, string Docs, string Fix)
{
    /// <summary>The resource key of this kind's fix (<c>{id}.Fix</c>), and of its title (<c>{id}.Title</c>).</summary>
    public string FixKey => $"{Id}.Fix";

    /// <summary>
    /// A finding of this kind whose summary and detail are given as text (a server's own words, or text not yet made
    /// from phrases): only the default fix can be translated. Its texts often quote what a server sent, so each is
    /// capped (<see cref="ReportText"/>).
    /// </summary>
    public Finding Create(string summary, string detail, string? subject = null, string? fix = null) =>
        Make(summary, detail, subject, fix, null);

    /// <summary>
    /// A finding made of phrases: its texts are kept in English and can be written in any language. The default fix
    /// needs no phrase: it is the resource <see cref="FixKey"/> (see <see cref="FindingWords.Words"/>).
    /// </summary>
    public Finding Create(Phrase summary, Phrase? detail, string? subject = null, Phrase? fix = null, string? rawDetail = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Make(summary.English(), detail?.English() ?? rawDetail ?? "", subject, fix?.English(), new FindingPhrases(summary, detail, fix));
    }

    private Finding Make(string summary, string detail, string? subject, string? fix, FindingPhrases? phrases) =>
        new(Id, Severity, ReportText.Cap(summary, ReportText.Line), ReportText.Cap(detail, ReportText.Paragraph),
            ReportText.Cap(fix ?? Fix, ReportText.Paragraph), Docs, ReportText.CapOrNull(subject, ReportText.Name), phrases);
}

public static class FindingCatalog
{
    private static readonly Lazy<IReadOnlyList<FindingDefinition>> AllDefinitions = new(() =>
        typeof(FindingCatalog).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSealed) // static classes
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(FindingDefinition))
            .Select(f => (FindingDefinition)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToArray());

    /// <summary>Every finding the engine can produce, ordered by id.</summary>
    public static IReadOnlyList<FindingDefinition> All => AllDefinitions.Value;

    public static FindingDefinition? Find(string id) => All.FirstOrDefault(d => d.Id == id);
}
