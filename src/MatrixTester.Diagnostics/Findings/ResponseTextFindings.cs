namespace MatrixTester.Diagnostics.Findings;

/// <summary>
/// JSON responses whose text has escapes of half a UTF-16 surrogate pair. One id per response kind, so the client
/// and support files stay on the client side of the report; the key response has its own (keys.invalid_utf8), and
/// m.server is judged by the delegation rules.
/// </summary>
public static class ResponseTextFindings
{
    private const string Fix =
        "Whatever writes this response produced \\uD800–\\uDFFF escapes without their other half, which is often text cut in the middle of an emoji. Write whole characters. Other software reads such an escape as U+FFFD (Go) or fails on it (Python, so Synapse): do not rely on the value.";

    public static readonly FindingDefinition Version = new("version.lone_surrogate", Severity.Warning,
        "The version response has text escapes that are not characters", "troubleshooting#lone-surrogates", Fix);

    public static readonly FindingDefinition Client = new("client.lone_surrogate", Severity.Warning,
        "/.well-known/matrix/client has text escapes that are not characters", "troubleshooting#lone-surrogates", Fix);

    public static readonly FindingDefinition Support = new("support.lone_surrogate", Severity.Warning,
        "/.well-known/matrix/support has text escapes that are not characters", "troubleshooting#lone-surrogates", Fix);

    /// <summary>The finding for <paramref name="count"/> lone surrogate escapes in the response <paramref name="what"/> names.</summary>
    public static Finding For(FindingDefinition definition, string what, int count, string? subject)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Create(
            $"{what} has {count} \\u escape{(count == 1 ? "" : "s")} of half a surrogate pair",
            "An escape between \\uD800 and \\uDFFF stands for half of a UTF-16 surrogate pair; alone it is not a character. The report shows each one as U+FFFD (\uFFFD), as Go's JSON reader does.",
            subject);
    }
}
