using System.Globalization;

namespace MatrixTester.Diagnostics.Findings;

/// <summary>
/// Keeps a list of findings short when a server repeats one mistake many times (hundreds of malformed keys, say):
/// the first <see cref="PerKind"/> findings of each kind about each subject stay, and one more finding of that kind
/// says how many were left out. One finding per mistake adds nothing a reader can act on past the first few.
/// </summary>
public static class FindingList
{
    public const int PerKind = 5;

    public static IReadOnlyList<Finding> Bounded(IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var seen = new Dictionary<(string Id, string? Subject), int>();
        var kept = new List<Finding>(Math.Min(findings.Count, 64));
        foreach (var finding in findings)
        {
            var key = (finding.Id, finding.Subject);
            var count = seen.GetValueOrDefault(key) + 1;
            seen[key] = count;
            if (count <= PerKind)
            {
                kept.Add(finding);
            }
        }
        if (kept.Count == findings.Count)
        {
            return findings;
        }
        foreach (var ((id, subject), count) in seen.Where(s => s.Value > PerKind))
        {
            var first = kept.First(f => f.Id == id && f.Subject == subject);
            var more = count - PerKind;
            kept.Add(first with
            {
                Summary = string.Create(CultureInfo.InvariantCulture, $"{more} more finding{(more == 1 ? "" : "s")} like \"{ReportText.Cap(first.Summary, 120)}\""),
                Detail = string.Create(CultureInfo.InvariantCulture, $"The same problem was found {count} times here; the report lists the first {PerKind}."),
            });
        }
        return kept;
    }
}
