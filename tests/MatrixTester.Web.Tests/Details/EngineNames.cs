using System.Reflection;
using System.Text.RegularExpressions;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.Tests.Details;

/// <summary>
/// Identifiers of the engine that must never reach a person: enum member names made of several words
/// ("NoAddress", "ConnectionFailed", "NxDomain"), and property names of the report's records as code
/// ("cnameChain", "IsSuccess") or split mechanically into title-cased words ("Is I Pv6", "M Server", "Cname Chain").
/// Names that are also plain terms (IPv4, IPv6) are left out, and so is the key of a setting ("Site:PublicUrl"):
/// operators read those in the docs.
/// </summary>
internal static partial class EngineNames
{
    private static readonly HashSet<string> PlainTerms = new(StringComparer.Ordinal) { "IPv4", "IPv6" };

    public static IReadOnlyList<string> All { get; } = Collect();

    /// <summary>Every engine name in <paramref name="text"/>, each once.</summary>
    public static IReadOnlyList<string> In(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. All.Where(name => Regex.IsMatch(text, $@"(?<![\w.:]){Regex.Escape(name)}(?![\w])"))];
    }

    private static List<string> Collect()
    {
        var types = typeof(DiagnosisReport).Assembly.GetExportedTypes();
        var enumNames = types.Where(t => t.IsEnum).SelectMany(Enum.GetNames);
        var properties = types.Where(t => !t.IsEnum).SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)).Select(p => p.Name);
        var multiWord = properties.Where(n => WordBoundary().IsMatch(n)).ToList();
        return [.. enumNames.Concat(properties).Where(n => WordBoundary().IsMatch(n))
            .Concat(multiWord.Select(n => char.ToLowerInvariant(n[0]) + n[1..]))
            .Concat(multiWord.Select(Split))
            .Where(n => !PlainTerms.Contains(n))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>"IsIPv6" → "Is I Pv6": a space before every capital, as a generic object dump labelled fields.</summary>
    private static string Split(string name) => SplitPoints().Replace(name, " $1");

    /// <summary>Where one word of an identifier ends and the next begins: "oA" in NoAddress, "MSe" in MServer (not "SRV", "AAAA").</summary>
    [GeneratedRegex("[a-z0-9][A-Z]|[A-Z][A-Z][a-z]")]
    private static partial Regex WordBoundary();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex SplitPoints();
}
