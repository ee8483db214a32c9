using System.Globalization;
using System.Text;

namespace MatrixTester.Diagnostics.Findings;

/// <summary>
/// The one way a string a server controls enters a report: cut to a number of UTF-8 bytes (never inside a character)
/// and marked with how much was left out, "… (N bytes more)". Every such string is capped where it enters, so no
/// server can make a report, its page or its stored row large; the sizes below are the report's budget per kind.
/// </summary>
public static class ReportText
{
    /// <summary>A short token: a key id ("ed25519:a_Xy9Q"), a base64 public key.</summary>
    public const int Token = 64;

    /// <summary>A name or a short value: a server name, a header value, a software version.</summary>
    public const int Name = 256;

    /// <summary>One line of text: an error, a problem, a URL, a finding's summary.</summary>
    public const int Line = 1024;

    /// <summary>A paragraph: a finding's detail or fix.</summary>
    public const int Paragraph = 4096;

    /// <summary>A URL, or a header the engine reasons about (Location, Cache-Control, Content-Type, …).</summary>
    public const int Url = 2048;

    /// <summary>The start of a response body, as shown beside a request.</summary>
    public const int BodyStart = 512;

    /// <summary>
    /// The key response as received: a <c>/_matrix/key/v2/server</c> answer is about 500 bytes, plus about 110 per
    /// old key, so a server that rotated its key sixty times still fits.
    /// </summary>
    public const int KeyResponse = 8 * 1024;

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="maxBytes"/> UTF-8 bytes; otherwise its longest
    /// start within that many bytes followed by "… (N bytes more)", N counting the UTF-8 bytes left out.
    /// </summary>
    public static string Cap(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        // A UTF-16 char is at most 3 UTF-8 bytes (a surrogate pair is 4 for 2 chars), so short text needs no count.
        if (text.Length * 3 <= maxBytes)
        {
            return text;
        }
        var kept = 0;
        var end = 0;
        while (end < text.Length)
        {
            var width = char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
            var bytes = width == 2 ? 4 : text[end] < 0x80 ? 1 : text[end] < 0x800 ? 2 : 3;
            if (kept + bytes > maxBytes)
            {
                break;
            }
            kept += bytes;
            end += width;
        }
        if (end == text.Length)
        {
            return text;
        }
        return string.Concat(text.AsSpan(0, end), More(Encoding.UTF8.GetByteCount(text.AsSpan(end))));
    }

    /// <summary>
    /// The start of a UTF-8 body as text: at most <paramref name="maxBytes"/> bytes of it, cut before a character
    /// that would not fit, then "… (N bytes more)". Invalid UTF-8 becomes U+FFFD; only the kept bytes are decoded.
    /// </summary>
    public static string Cap(ReadOnlySpan<byte> utf8, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (utf8.Length <= maxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var end = maxBytes;
        // Back up over continuation bytes (10xxxxxx) to the start of the character that would be cut.
        while (end > 0 && end > maxBytes - 3 && (utf8[end] & 0xC0) == 0x80)
        {
            end--;
        }
        return Encoding.UTF8.GetString(utf8[..end]) + More(utf8.Length - end);
    }

    private static string More(int bytes) => string.Create(CultureInfo.InvariantCulture, $"… ({bytes} byte{(bytes == 1 ? "" : "s")} more)");

    /// <summary><see cref="Cap(string, int)"/> that lets null through.</summary>
    public static string? CapOrNull(string? text, int maxBytes) => text is null ? null : Cap(text, maxBytes);
}
