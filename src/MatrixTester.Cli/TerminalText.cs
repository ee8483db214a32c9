using System.Text;

namespace MatrixTester.Cli;

/// <summary>
/// Server-controlled text (version strings, certificate subjects, error bodies) goes to a terminal: control
/// characters, escape sequences included, are shown as visible escapes so a hostile server cannot rewrite the screen.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069))
            {
                builder.Append(rune.Value == '\n' ? " " : $"\\u{rune.Value:x4}");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }
        return builder.ToString();
    }
}
