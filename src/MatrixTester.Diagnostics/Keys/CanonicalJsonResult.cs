namespace MatrixTester.Diagnostics.Keys;

/// <summary>Why a document has no canonical form (spec appendices, "Canonical JSON", and where implementations differ: the engine README).</summary>
public enum CanonicalJsonError
{
    None,
    /// <summary>Larger than the size cap.</summary>
    TooLarge,
    /// <summary>The bytes are not valid UTF-8 (the spec requires UTF-8).</summary>
    InvalidUtf8,
    /// <summary>Not a single well-formed JSON value (syntax error, trailing data, comments, NaN...).</summary>
    Malformed,
    /// <summary>Nested deeper than the depth cap.</summary>
    TooDeep,
    /// <summary>An object names the same member twice, so different parsers would verify different content.</summary>
    DuplicateKey,
    /// <summary>A number with a fraction or exponent: canonical JSON allows integers only.</summary>
    NonIntegerNumber,
    /// <summary>An integer outside ±(2^53−1).</summary>
    IntegerOutOfRange,
    /// <summary>A string escape that decodes to invalid Unicode, such as a lone surrogate "\ud800".</summary>
    InvalidString,
    /// <summary>The top-level value must be an object (needed when removing top-level keys before signing).</summary>
    NotAnObject,
}

/// <summary>Canonical bytes, or the precise reason there are none. Never thrown at callers.</summary>
public sealed record CanonicalJsonResult(ReadOnlyMemory<byte> Bytes, CanonicalJsonError Error, string Reason)
{
    public bool IsSuccess => Error == CanonicalJsonError.None;

    internal static CanonicalJsonResult Ok(byte[] bytes) => new(bytes, CanonicalJsonError.None, "");

    internal static CanonicalJsonResult Fail(CanonicalJsonError error, string reason) => new(ReadOnlyMemory<byte>.Empty, error, reason);

    /// <summary>The canonical bytes; throws if there are none (for tests and callers that already checked).</summary>
    public byte[] GetBytesOrThrow() =>
        IsSuccess ? Bytes.ToArray() : throw new InvalidOperationException($"No canonical JSON: {Error}: {Reason}");

}
