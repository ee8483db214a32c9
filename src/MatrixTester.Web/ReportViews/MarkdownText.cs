using System.Globalization;
using System.Text;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// Text a server controls, made inert for Markdown as Element (CommonMark) and GitHub (GFM) read it: every character
/// that could start a link, an image, emphasis, a heading, a table cell, raw HTML, an entity, a code span or a mention
/// is backslash-escaped (CommonMark lets any ASCII punctuation be escaped, and shows it as itself); line breaks and
/// other control characters become spaces, so the text stays inside the line it was put in; and it is cut to a length.
/// </summary>
public static class MarkdownText
{
    // ':' too, and the dot of "www.": "https://…" and "www.…" are then no autolink on GitHub, and "@user:server" no
    // mention pill in a client. Dots, dashes and digits elsewhere never start anything inside a line, so they stay.
    private const string Special = "\\`*_[]()<>#!|~@&:";

    /// <summary><paramref name="text"/> escaped, at most <paramref name="maxChars"/> characters of it (then "…").</summary>
    public static string Escape(string? text, int maxChars = 300)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var escaped = new StringBuilder(Math.Min(text.Length, maxChars) + 16);
        var kept = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (kept == maxChars)
            {
                escaped.Append('…');
                break;
            }
            kept++;
            if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 or 0x85 || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                escaped.Append(' ');
            }
            else if (rune.IsAscii && (Special.Contains((char)rune.Value, StringComparison.Ordinal) || (rune.Value == '.' && AfterWww(escaped))))
            {
                escaped.Append('\\').Append((char)rune.Value);
            }
            else
            {
                escaped.Append(rune.ToString());
            }
        }
        return escaped.ToString();
    }

    /// <summary>
    /// A link target of ours (the site's address plus a path): characters that would end or break a Markdown link
    /// destination are percent-encoded, so even an odd configured address stays one link.
    /// </summary>
    public static string Url(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var safe = new StringBuilder(url.Length);
        foreach (var c in url)
        {
            safe.Append(c is '(' or ')' or '<' or '>' or ' ' or '"' or '\\' or '`' || char.IsControl(c) ? Uri.EscapeDataString(c.ToString()) : c.ToString());
        }
        return safe.ToString();
    }

    private static bool AfterWww(StringBuilder written) =>
        written.Length >= 3 && string.Equals(written.ToString(written.Length - 3, 3), "www", StringComparison.OrdinalIgnoreCase);
}
