using System.Globalization;
using System.Text;

namespace MatrixTester.Diagnostics;

/// <summary>
/// Text from outside (a server under test, a visitor's request, a certificate) written where a line break or an
/// escape sequence would change the meaning of what follows: a terminal, a log line, a plain-text mail, a metrics
/// label. Every character that controls layout rather than showing something — C0 and C1 controls (line breaks,
/// ESC, NUL), DEL, the Unicode line and paragraph separators, bidirectional overrides — and every half of a surrogate
/// pair without its other half becomes a visible <c>\uXXXX</c>, so the reader sees what was sent and it cannot
/// start a new line, forge a log entry, recolour a terminal or reorder the text around it.
/// </summary>
public static class VisibleText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !NeedsEscaping(text))
        {
            return text ?? "";
        }
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (IsHidden(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>True when <see cref="Escape"/> would change <paramref name="text"/>.</summary>
    public static bool NeedsEscaping(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsHidden(c))
            {
                return true;
            }
        }
        return false;
    }

    // Controls (Cc), lone surrogates, line/paragraph separators and the bidirectional marks, embeddings, overrides
    // and isolates (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).
    private static bool IsHidden(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029'
        or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
