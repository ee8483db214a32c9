namespace MatrixTester.Diagnostics.Keys;

/// <summary>
/// Matrix timestamps are integer milliseconds since the Unix epoch and may be anything in ±(2^53−1), far beyond
/// what DateTimeOffset holds (years 1–9999). Clamp instead of throwing: a server's garbage must not crash us.
/// </summary>
internal static class UnixMilliseconds
{
    private static readonly long Min = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long Max = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToDateTimeOffset(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ms, Min, Max));
}
