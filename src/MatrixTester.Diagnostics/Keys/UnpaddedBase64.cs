using System.Diagnostics.CodeAnalysis;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Unpadded base64 (spec appendices, "Unpadded Base64"): RFC 4648 standard alphabet without '=' padding.
/// Decoding is deliberately tolerant but observant: padding is accepted (the spec says decoders SHOULD) and
/// reported, so the caller can warn that gomatrixserverlib (RawStdEncoding) rejects it. Like
/// gomatrixserverlib's spec/base64.go, the URL-safe alphabet is used only when the text contains '-' or '_'.
/// </summary>
public static class UnpaddedBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>Decodes standard or URL-safe base64, with or without padding. Whitespace, mixed alphabets,
    /// misplaced or excess '=' and impossible lengths are rejected.</summary>
    public static bool TryDecode(string? text, [NotNullWhen(true)] out byte[]? bytes, out bool hadPadding)
    {
        bytes = null;
        hadPadding = false;
        if (text is null)
        {
            return false;
        }

        var body = text.AsSpan().TrimEnd('=');
        var padding = text.Length - body.Length;
        hadPadding = padding > 0;
        if (padding > 2 || (padding > 0 && text.Length % 4 != 0) || body.Length % 4 == 1)
        {
            return false;
        }

        var urlSafe = body.ContainsAny('-', '_');
        var chars = new char[body.Length + ((4 - (body.Length % 4)) % 4)];
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            var valid = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9')
                || (urlSafe ? c is '-' or '_' : c is '+' or '/');
            if (!valid)
            {
                return false;
            }

            chars[i] = c switch { '-' => '+', '_' => '/', _ => c };
        }

        chars.AsSpan(body.Length).Fill('=');
        var buffer = new byte[chars.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(chars, buffer, out var written))
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        return true;
    }

    public static bool TryDecode(string? text, [NotNullWhen(true)] out byte[]? bytes) => TryDecode(text, out bytes, out _);
}
