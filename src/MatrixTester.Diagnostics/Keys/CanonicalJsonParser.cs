using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Reads JSON into a small tree whose scalars are already in canonical form and whose object members are sorted
/// by UTF-8 bytes, which is Unicode code point order (spec appendices, "Canonical JSON":
/// UTF-16 ordinal order would put U+1F600 before U+FFFF). Iterative, so nesting costs heap, not stack.
/// </summary>
internal static class CanonicalJsonParser
{
    internal abstract class Node;

    internal sealed class ScalarNode(byte[] canonical) : Node
    {
        public byte[] Canonical { get; } = canonical;
    }

    internal sealed class ArrayNode : Node
    {
        public List<Node> Items { get; } = [];
    }

    internal sealed class ObjectNode : Node
    {
        public List<KeyValuePair<byte[], Node>> Members { get; } = [];
    }

    internal readonly record struct ParseResult(Node? Root, CanonicalJsonResult? Error);

    private static readonly byte[] True = "true"u8.ToArray(), False = "false"u8.ToArray(), Null = "null"u8.ToArray();

    public static ParseResult Parse(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        // The reader's own cap is one more than ours, so that we report TooDeep ourselves rather than parse its message.
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        var tree = new Tree();
        try
        {
            while (reader.Read())
            {
                if (ReadToken(ref reader, maxDepth, tree) is { } error)
                {
                    return new(null, error);
                }
            }
        }
        catch (JsonException e)
        {
            return Fail(CanonicalJsonError.Malformed, $"The body is not valid JSON: {e.Message}");
        }

        return tree.Root is null ? Fail(CanonicalJsonError.Malformed, "The body is empty.") : new(tree.Root, null);
    }

    /// <summary>One token: structure (a member name, a container opening or closing) or a scalar value. Null when it fits.</summary>
    private static CanonicalJsonResult? ReadToken(ref Utf8JsonReader reader, int maxDepth, Tree tree)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                if (!TryReadString(ref reader, out var key, out var keyError))
                {
                    return keyError;
                }
                tree.PendingKey = key;
                return null;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                if (reader.CurrentDepth + 1 > maxDepth)
                {
                    return CanonicalJsonResult.Fail(CanonicalJsonError.TooDeep, $"The JSON nests deeper than {maxDepth} levels (at byte {reader.TokenStartIndex}).");
                }
                tree.Add(reader.TokenType == JsonTokenType.StartObject ? new ObjectNode() : new ArrayNode());
                return null;
            case JsonTokenType.EndObject:
                var obj = (ObjectNode)tree.Close();
                return SortAndFindDuplicate(obj) is { } duplicate
                    ? CanonicalJsonResult.Fail(CanonicalJsonError.DuplicateKey, $"The object ending at byte {reader.TokenStartIndex} has the member \"{duplicate}\" more than once.")
                    : null;
            case JsonTokenType.EndArray:
                tree.Close();
                return null;
            default:
                var error = ReadScalar(ref reader, out var scalar);
                if (scalar is not null)
                {
                    tree.Add(scalar);
                }
                return error;
        }
    }

    /// <summary>A string, number, true, false or null, already in canonical form; anything else is an error.</summary>
    private static CanonicalJsonResult? ReadScalar(ref Utf8JsonReader reader, out ScalarNode? scalar)
    {
        scalar = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (!TryReadString(ref reader, out var text, out var stringError))
                {
                    return stringError;
                }
                var writer = new System.Buffers.ArrayBufferWriter<byte>(text.Length + 2);
                CanonicalJson.WriteString(writer, text);
                scalar = new ScalarNode(writer.WrittenSpan.ToArray());
                return null;
            case JsonTokenType.Number:
                if (ReadNumber(ref reader) is not { } number)
                {
                    return NumberError(ref reader);
                }
                scalar = new ScalarNode(number);
                return null;
            case JsonTokenType.True:
                scalar = new ScalarNode(True);
                return null;
            case JsonTokenType.False:
                scalar = new ScalarNode(False);
                return null;
            case JsonTokenType.Null:
                scalar = new ScalarNode(Null);
                return null;
            default:
                return CanonicalJsonResult.Fail(CanonicalJsonError.Malformed, $"Unexpected JSON token {reader.TokenType}.");
        }
    }

    /// <summary>The tree being built: the containers still open, the member name waiting for its value, and the root.</summary>
    private sealed class Tree
    {
        private readonly Stack<Node> _open = new();

        public Node? Root { get; private set; }

        public byte[]? PendingKey { get; set; }

        public void Add(Node value)
        {
            if (_open.Count == 0)
            {
                Root = value;
            }
            else if (_open.Peek() is ObjectNode parent)
            {
                parent.Members.Add(new(PendingKey!, value));
            }
            else
            {
                ((ArrayNode)_open.Peek()).Items.Add(value);
            }
            if (value is ObjectNode or ArrayNode)
            {
                _open.Push(value);
            }
        }

        public Node Close() => _open.Pop();
    }

    private static ParseResult Fail(CanonicalJsonError error, string reason) => new(null, CanonicalJsonResult.Fail(error, reason));

    private static bool TryReadString(ref Utf8JsonReader reader, out byte[] utf8, out CanonicalJsonResult? error)
    {
        error = null;
        if (!reader.ValueIsEscaped)
        {
            utf8 = reader.ValueSpan.ToArray(); // raw bytes, already checked as valid UTF-8
            return true;
        }

        // Unescaping never makes a string longer. A lone surrogate escape cannot become valid UTF-8.
        var buffer = new byte[reader.ValueSpan.Length];
        int written;
        try
        {
            written = reader.CopyString(buffer);
        }
        catch (InvalidOperationException)
        {
            written = -1;
        }

        if (written < 0 || !Utf8.IsValid(buffer.AsSpan(0, written)))
        {
            utf8 = [];
            error = CanonicalJsonResult.Fail(CanonicalJsonError.InvalidString,
                $"The string at byte {reader.TokenStartIndex} contains an escape that is not valid Unicode (such as a lone surrogate).");
            return false;
        }

        utf8 = buffer[..written];
        return true;
    }

    /// <summary>Canonical digits for an integer in ±(2^53−1), or null. "-0" becomes "0" (see CanonicalJson).</summary>
    private static byte[]? ReadNumber(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
        {
            return null;
        }

        return reader.TryGetInt64(out var value) && Math.Abs(value) <= CanonicalJson.MaxSafeInteger
            ? Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture))
            : null;
    }

    private static CanonicalJsonResult NumberError(ref Utf8JsonReader reader)
    {
        var raw = Encoding.ASCII.GetString(reader.ValueSpan);
        return raw.AsSpan().IndexOfAny(".eE") >= 0
            ? CanonicalJsonResult.Fail(CanonicalJsonError.NonIntegerNumber,
                $"The number {raw} at byte {reader.TokenStartIndex} has a fraction or exponent; canonical JSON allows integers only.")
            : CanonicalJsonResult.Fail(CanonicalJsonError.IntegerOutOfRange,
                $"The integer {raw} at byte {reader.TokenStartIndex} is outside ±(2^53−1), the range canonical JSON allows.");
    }

    /// <summary>Sorts members by UTF-8 bytes (= code point order) and returns a duplicated name, if any.</summary>
    private static string? SortAndFindDuplicate(ObjectNode obj)
    {
        obj.Members.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        for (var i = 1; i < obj.Members.Count; i++)
        {
            if (obj.Members[i].Key.AsSpan().SequenceEqual(obj.Members[i - 1].Key))
            {
                return Encoding.UTF8.GetString(obj.Members[i].Key);
            }
        }

        return null;
    }
}
