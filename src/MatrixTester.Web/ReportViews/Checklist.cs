using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Web.Docs;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// How the page draws the reading's checklist (<see cref="Diagnostics.Reading.Checklist"/>): the state as a symbol and
/// a word from the wording, a CSS class for its colour, and links to the details on this page and to the docs.
/// </summary>
internal static class CheckLines
{
    public static string Symbol(this CheckLine line) => CheckWords.Symbol(line.State);

    public static string StateText(this CheckLine line) => CheckWords.State(line.State);

    public static string CssClass(this CheckLine line) => Class(line.State);

    public static string Class(CheckState state) => state switch
    {
        CheckState.Passed => "check-passed",
        CheckState.Note => "check-note",
        CheckState.Warning => "check-warning",
        CheckState.Failed => "check-failed",
        CheckState.Incomplete => "check-incomplete",
        _ => "check-nottested",
    };

    public static string DetailsHref(this CheckLine line) => "#" + line.Anchor;

    public static string DocsHref(this CheckLine line) => FindingsTable.DocsLink(line.Docs);
}

/// <summary>How the page draws a tone: the CSS classes of pills and of the verdict card.</summary>
internal static class Tones
{
    public static string Pill(Tone tone) => tone switch
    {
        Tone.Good => "pill-ok",
        Tone.Warning => "pill-warn",
        Tone.Bad => "pill-bad",
        _ => "pill-none",
    };

    public static string Verdict(Tone tone) => tone switch
    {
        Tone.Good => "verdict-ok",
        Tone.Warning => "verdict-warn",
        Tone.Bad => "verdict-bad",
        _ => "verdict-none",
    };
}
