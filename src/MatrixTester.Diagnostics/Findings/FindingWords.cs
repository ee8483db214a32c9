namespace MatrixTester.Diagnostics.Findings;

/// <summary>A finding's three texts in the reader's language.</summary>
public sealed record FindingText(string Summary, string Detail, string Fix);

/// <summary>
/// A finding in the reader's language: its title and default fix from the resources by finding id (<c>{id}.Title</c>,
/// <c>{id}.Fix</c>; a fix is the default when its English is the resource's, in stored reports of any age), its
/// summary and detail from the templates it was made from (<see cref="Finding.Phrases"/>). A text made of a server's
/// own words, and a text of a report stored before findings kept their templates, is shown as the report has it.
/// </summary>
public static class FindingWords
{
    public static FindingText Words(this Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var phrases = finding.Phrases;
        return new FindingText(
            phrases?.Summary?.Words() ?? finding.Summary,
            phrases?.Detail?.Words() ?? finding.Detail,
            phrases?.Fix?.Words() ?? DefaultFix(finding) ?? finding.Fix);
    }

    private static string? DefaultFix(Finding finding)
    {
        var key = $"{finding.Id}.Fix";
        return EngineText.Has(key) && EngineText.English(key) == finding.Fix ? EngineText.Get(key) : null;
    }

    /// <summary>A finding kind's title (the docs' catalog, the checklist's names for it).</summary>
    public static string Title(this FindingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var key = $"{definition.Id}.Title";
        return EngineText.Has(key) ? EngineText.Get(key) : definition.Title;
    }
}
