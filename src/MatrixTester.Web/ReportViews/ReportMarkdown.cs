using System.Text;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// A result as Markdown for a support room (<c>/r/{id}.md</c>), rendered from the report's reading like every other
/// surface: the verdict and its chips, the checklist, each problem with its fix and docs link, the key facts in a
/// <c>&lt;details&gt;</c> block (Element and GitHub both fold it), and the permalink. Everything a server controls goes
/// through <see cref="MarkdownText.Escape"/>; so does our own text, so nothing in it is read as markup either.
/// Worded in the request's language (a German admin pastes it into a German support room); finding ids, names and
/// values from the server stay as they are. Sized for a chat message: a typical broken result stays well under 4,000 characters.
/// </summary>
public static class ReportMarkdown
{
    /// <summary>Problems listed before "N more on the permalink".</summary>
    public const int MaxProblems = 6;

    /// <param name="site">The site's address without a trailing slash ("https://tester.example.org").</param>
    public static string Render(ReportView view, string site)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(site);
        var reading = view.Reading;
        var md = new StringBuilder(4096);
        md.Append("### ").Append(CheckWords.Symbol(Symbol(reading.Federation.State))).Append(' ')
            .Append(E(ExportWords.Heading(VerdictWords.Headline(reading.Federation.State), Short(reading.Name, 120)), 300)).Append("\n\n");
        md.Append(E(VerdictWords.Line(reading), 400)).Append("\n\n");
        md.AppendJoin(" · ", VerdictWords.Chips(reading).Select(c => $"{E(c.Label)}: **{E(c.Value)}**")
            .Append(E(VerdictWords.Pill(reading.Federation)))).Append("\n\n");
        Checklist(md, reading);
        Problems(md, view, site);
        MarkdownFacts.Append(md, view);
        md.Append("---\n");
        if (view.Saved)
        {
            var permalink = MarkdownText.Url($"{site}/r/{view.Id}");
            md.Append('[').Append(E(permalink)).Append("](").Append(permalink).Append(") · ");
        }
        else
        {
            md.Append(E(ExportWords.NotSaved)).Append(' ');
        }
        md.Append(E(ExportWords.Tested(view.CreatedAt, view.Report.Duration))).Append('\n');
        return md.ToString();
    }

    private static void Checklist(StringBuilder md, ReportReading reading)
    {
        var checklist = Diagnostics.Reading.Checklist.Of(reading);
        md.Append("**").Append(E(ExportWords.Checklist)).Append("**\n\n");
        foreach (var line in checklist.Discovery)
        {
            Line(md, line, "- ");
        }
        foreach (var address in checklist.Addresses)
        {
            // An address whose four checks passed is one line; the others show each check.
            if (address.Checks.All(c => c.State == CheckState.Passed))
            {
                md.Append("- ").Append(CheckWords.Symbol(CheckState.Passed)).Append(' ').Append(E(address.Key)).Append(": ")
                    .Append(E(ExportWords.AllPassed)).Append(" (").Append(E(address.Checks.First(c => c.Item == CheckItem.Version).Text, 80)).Append(")\n");
                continue;
            }
            md.Append("- ").Append(E(address.Key)).Append('\n');
            foreach (var line in address.Checks)
            {
                Line(md, line, "  - ");
            }
        }
        foreach (var line in checklist.Clients.Concat(checklist.CallsAndLogin).Concat(checklist.TwoWay))
        {
            Line(md, line, "- ");
        }
        md.Append('\n');
    }

    private static void Line(StringBuilder md, CheckLine line, string prefix) =>
        md.Append(prefix).Append(CheckWords.Symbol(line.State)).Append(' ').Append(E(line.Name)).Append(": ").Append(E(line.Text, 160)).Append('\n');

    private static void Problems(StringBuilder md, ReportView view, string site)
    {
        var findings = view.Report.Findings;
        var problems = findings.Where(f => f.Severity != Severity.Info)
            .OrderBy(f => f.PartOf()).ThenByDescending(f => f.Severity).ToList();
        md.Append("**").Append(E(ExportWords.Problems(problems.Count))).Append("**\n\n");
        var number = 0;
        foreach (var finding in problems.Take(MaxProblems))
        {
            number++;
            md.Append(System.Globalization.CultureInfo.InvariantCulture, $"{number}. **{E(VerdictWords.SeverityLabel(finding.Severity))}**");
            if (finding.PartOf() != ReportPart.Federation)
            {
                md.Append(" (").Append(E(VerdictWords.Part(finding.PartOf()))).Append(')');
            }
            var words = finding.Words();
            md.Append(": ").Append(E(words.Summary, 200));
            if (finding.Subject is { } subject)
            {
                md.Append(" — ").Append(E(subject, 80));
            }
            // Finding ids are ours ([a-z0-9._]): safe in a code span, and what helpers search for.
            md.Append(" `").Append(finding.Id).Append("`  \n");
            md.Append("   ").Append(E(ExportWords.Fix)).Append(": ").Append(E(words.Fix, 280)).Append(' ');
            var docs = MarkdownText.Url($"{site}/docs/{finding.Docs}");
            md.Append('[').Append(E(ExportWords.Docs)).Append("](").Append(docs).Append(")\n");
        }
        if (problems.Count > MaxProblems)
        {
            md.Append('\n').Append(E(ExportWords.MoreProblems(problems.Count - MaxProblems))).Append('\n');
        }
        var notes = findings.Count - problems.Count;
        if (notes > 0)
        {
            md.Append(problems.Count > 0 ? "\n" : "").Append(E(ExportWords.Notes(notes))).Append('\n');
        }
        md.Append('\n');
    }

    private static CheckState Symbol(FederationState state) => state switch
    {
        FederationState.Works => CheckState.Passed,
        FederationState.WorksWithWarnings => CheckState.Warning,
        FederationState.Broken => CheckState.Failed,
        FederationState.Incomplete => CheckState.Incomplete,
        _ => CheckState.NotTested,
    };

    /// <summary>A server's name cut before it goes into a sentence of ours, so the sentence itself is never cut.</summary>
    private static string Short(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static string E(string? text, int max = 300) => MarkdownText.Escape(text, max);
}
