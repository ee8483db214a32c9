using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tests.Budget;

public sealed class FindingListTests
{
    private static readonly FindingDefinition Bad = new("test.bad", Severity.Error, "Bad", "keys", "Fix it.");
    private static readonly FindingDefinition Note = new("test.note", Severity.Info, "Note", "keys", "Nothing.");

    [Fact]
    public void A_short_list_is_kept_as_it_is()
    {
        IReadOnlyList<Finding> findings = [Bad.Create("1", "d", "a"), Bad.Create("2", "d", "a"), Note.Create("n", "d", "a")];
        Assert.Same(findings, FindingList.Bounded(findings));
    }

    [Fact]
    public void A_mistake_repeated_hundreds_of_times_keeps_its_first_five_and_one_line_for_the_rest()
    {
        var findings = Enumerable.Range(0, 300).Select(i => Bad.Create($"key {i} is bad", "d", "192.0.2.1:8448"))
            .Concat([Bad.Create("other address", "d", "192.0.2.2:8448"), Note.Create("note", "d", "192.0.2.1:8448")]).ToList();

        var bounded = FindingList.Bounded(findings);

        Assert.Equal(["key 0 is bad", "key 1 is bad", "key 2 is bad", "key 3 is bad", "key 4 is bad", "other address", "note",
            "295 more findings like \"key 0 is bad\""], bounded.Select(f => f.Summary));
        var summary = bounded[^1];
        Assert.Equal(("test.bad", Severity.Error, "192.0.2.1:8448"), (summary.Id, summary.Severity, summary.Subject));
        Assert.Contains("300 times", summary.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_text_of_a_finding_is_capped_when_it_is_created()
    {
        var huge = new string('<', 100_000);
        var finding = Bad.Create(huge, huge, huge, huge);
        Assert.Equal(ReportText.Cap(huge, ReportText.Line), finding.Summary);
        Assert.Equal(ReportText.Cap(huge, ReportText.Paragraph), finding.Detail);
        Assert.Equal(ReportText.Cap(huge, ReportText.Paragraph), finding.Fix);
        Assert.Equal(ReportText.Cap(huge, ReportText.Name), finding.Subject);
    }
}
