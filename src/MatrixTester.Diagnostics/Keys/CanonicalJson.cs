using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Matrix canonical JSON (spec appendices, "Canonical JSON"; the engine README, "Canonical JSON"), from raw UTF-8 bytes.
/// Decisions where implementations differ:
/// <list type="bullet">
/// <item>Fractions and exponents are rejected, even <c>1.0</c> and <c>1e10</c> (Synapse's validate_canonicaljson
/// rejects every float; we never rewrite a number the sender wrote, since that would verify a different text).</item>
/// <item><c>-0</c> is written as <c>0</c>: the spec's own example does this, and so do Python (json.loads gives
/// int 0) and gomatrixserverlib, so signatures made by real servers over <c>-0</c> still verify.</item>
/// <item>Duplicate member names are rejected: Python keeps the last, other parsers the first, so a signed object
/// with duplicates has no single meaning.</item>
/// <item>Lone surrogates (<c>"\ud800"</c>) are rejected: they have no UTF-8 encoding.</item>
/// </list>
/// Parsing is iterative (Utf8JsonReader), so a depth bomb fails at the cap without deep recursion.
/// </summary>
public static class CanonicalJson
{
    public const int DefaultMaxDepth = 64;
    public const int DefaultMaxBytes = 1024 * 1024;
    public const long MaxSafeInteger = 9_007_199_254_740_991; // 2^53 − 1

    /// <summary>The members a signature does not cover (spec appendices, "Signing Details").</summary>
    public static IReadOnlyList<string> UnsignedMembers { get; } = ["signatures", "unsigned"];

    /// <summary>Canonical bytes of the object without <c>signatures</c> and <c>unsigned</c>: what is signed.</summary>
    public static CanonicalJsonResult EncodeForSigning(ReadOnlySpan<byte> utf8Json) => Encode(utf8Json, UnsignedMembers);

    /// <summary>Canonicalises <paramref name="utf8Json"/>, first removing <paramref name="removeTopLevelKeys"/>
    /// (which requires the top-level value to be an object).</summary>
    public static CanonicalJsonResult Encode(
        ReadOnlySpan<byte> utf8Json,
        IReadOnlyCollection<string>? removeTopLevelKeys = null,
        int maxDepth = DefaultMaxDepth,
        int maxBytes = DefaultMaxBytes)
    {
        if (utf8Json.Length > maxBytes)
        {
            return CanonicalJsonResult.Fail(CanonicalJsonError.TooLarge, $"The JSON is {utf8Json.Length} bytes; the limit is {maxBytes}.");
        }

        if (!Utf8.IsValid(utf8Json))
        {
            var offset = FirstInvalidUtf8(utf8Json);
            return CanonicalJsonResult.Fail(CanonicalJsonError.InvalidUtf8, $"The bytes are not valid UTF-8 (first bad byte at offset {offset}).");
        }

        var parsed = CanonicalJsonParser.Parse(utf8Json, maxDepth);
        if (parsed.Error is { } error)
        {
            return error;
        }

        var root = parsed.Root!;
        if (removeTopLevelKeys is { Count: > 0 })
        {
            if (root is not CanonicalJsonParser.ObjectNode obj)
            {
                return CanonicalJsonResult.Fail(CanonicalJsonError.NotAnObject, "The top-level JSON value is not an object.");
            }

            var remove = removeTopLevelKeys.Select(Encoding.UTF8.GetBytes).ToArray();
            obj.Members.RemoveAll(m => remove.Any(r => r.AsSpan().SequenceEqual(m.Key)));
        }

        var buffer = new ArrayBufferWriter<byte>(utf8Json.Length);
        Write(buffer, root);
        return CanonicalJsonResult.Ok(buffer.WrittenSpan.ToArray());
    }

    /// <summary>Canonicalises a UTF-16 string (convenience for tests and the lab).</summary>
    public static CanonicalJsonResult Encode(string json, IReadOnlyCollection<string>? removeTopLevelKeys = null) =>
        Encode(Encoding.UTF8.GetBytes(json), removeTopLevelKeys);

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length;)
        {
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed) != OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return bytes.Length;
    }

    // Depth is bounded by the parser's cap, so recursion here is shallow.
    private static void Write(ArrayBufferWriter<byte> output, CanonicalJsonParser.Node node)
    {
        switch (node)
        {
            case CanonicalJsonParser.ScalarNode scalar:
                output.Write(scalar.Canonical);
                break;
            case CanonicalJsonParser.ArrayNode array:
                output.Write("["u8);
                for (var i = 0; i < array.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }

                    Write(output, array.Items[i]);
                }

                output.Write("]"u8);
                break;
            case CanonicalJsonParser.ObjectNode obj:
                output.Write("{"u8);
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }

                    WriteString(output, obj.Members[i].Key);
                    output.Write(":"u8);
                    Write(output, obj.Members[i].Value);
                }

                output.Write("}"u8);
                break;
        }
    }

    /// <summary>Spec grammar: escape only '"', '\\' and controls below 0x20 (\b \t \n \f \r, else \u00xx in
    /// lower-case hex); everything else, including '/', U+007F and U+2028, is written raw.</summary>
    internal static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        output.Write("\""u8);
        var start = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\')
            {
                continue;
            }

            output.Write(utf8[start..i]);
            start = i + 1;
            output.Write(b switch
            {
                (byte)'"' => "\\\""u8,
                (byte)'\\' => "\\\\"u8,
                (byte)'\b' => "\\b"u8,
                (byte)'\t' => "\\t"u8,
                (byte)'\n' => "\\n"u8,
                (byte)'\f' => "\\f"u8,
                (byte)'\r' => "\\r"u8,
                _ => Encoding.ASCII.GetBytes($"\\u{b:x4}"),
            });
        }

        output.Write(utf8[start..]);
        output.Write("\""u8);
    }
}
