namespace MatrixTester.Diagnostics;

/// <summary>
/// JSON may spell half of a UTF-16 surrogate pair as an escape (<c>"\ud800"</c>) with no other half. That is not a
/// character: Go's decoder reads it as U+FFFD, Python's keeps a string that cannot be encoded (Synapse then fails on
/// it), and .NET parses the document but throws when the string is read. So that a response carrying one stays a
/// response we can judge, each such escape is rewritten to <c>\ufffd</c> (the same six bytes, so offsets in parser
/// messages still point at the right place) before the document is read, and counted so the check can say so.
/// </summary>
public static class LoneSurrogates
{
    /// <summary>A copy of <paramref name="json"/> with every lone surrogate escape replaced, and how many there were.</summary>
    public static (byte[] Json, int Replaced) Replace(ReadOnlySpan<byte> json)
    {
        var copy = json.ToArray();
        return (copy, ReplaceInPlace(copy));
    }

    public static int ReplaceInPlace(Span<byte> json)
    {
        var replaced = 0;
        var i = json.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < json.Length)
        {
            var step = 2;
            if (json[i + 1] == 'u' && CodeUnit(json, i) is { } unit && char.IsSurrogate(unit))
            {
                if (char.IsHighSurrogate(unit) && CodeUnit(json, i + 6) is { } next && char.IsLowSurrogate(next))
                {
                    step = 12;
                }
                else
                {
                    "\\ufffd"u8.CopyTo(json[i..]);
                    replaced++;
                    step = 6;
                }
            }
            var rest = json[Math.Min(json.Length, i + step)..].IndexOf((byte)'\\');
            i = rest < 0 ? -1 : i + step + rest;
        }
        return replaced;
    }

    /// <summary>The code unit of the <c>\uXXXX</c> escape at <paramref name="at"/>, or null when there is none.</summary>
    private static char? CodeUnit(ReadOnlySpan<byte> json, int at)
    {
        if (at + 6 > json.Length || json[at] != '\\' || json[at + 1] != 'u')
        {
            return null;
        }
        var value = 0;
        for (var k = at + 2; k < at + 6; k++)
        {
            var digit = HexValue(json[k]);
            if (digit < 0)
            {
                return null;
            }
            value = (value << 4) | digit;
        }
        return (char)value;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
