using System.Globalization;
using System.Text.RegularExpressions;

namespace MatrixTester.Web.Tests.Probe;

/// <summary>One parsed sample: metric name, labels, value.</summary>
public sealed record ParsedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Name, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Name, out var v) && v == l.Value);
}

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4 as our probe writes it: every sample's family is announced by
/// a HELP line and then a TYPE line before its first sample, families are not interleaved, label values are quoted
/// with the format's escapes, and values are floats. Anything else fails the test.
/// </summary>
public static partial class Exposition
{
    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)"(,|$)""")]
    private static partial Regex Label();

    public static IReadOnlyList<ParsedSample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new List<ParsedSample>();
        var help = new HashSet<string>();
        var typed = new HashSet<string>();
        string? current = null;
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var name = line.Split(' ')[2];
                Assert.True(help.Add(name), $"second HELP for {name}");
                current = name;
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(current, parts[2]);
                Assert.Contains(parts[3], new[] { "gauge", "counter" });
                typed.Add(parts[2]);
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var metric = match.Groups["name"].Value;
            Assert.True(metric == current && typed.Contains(metric), $"{metric} has no HELP/TYPE right before its samples");
            var labels = new Dictionary<string, string>();
            var labelText = match.Groups["labels"].Value;
            var consumed = 0;
            foreach (Match label in Label().Matches(labelText))
            {
                Assert.Equal(consumed, label.Index);
                consumed += label.Length;
                labels.Add(label.Groups["name"].Value, Regex.Unescape(label.Groups["value"].Value));
            }
            Assert.Equal(labelText.Length, consumed);
            samples.Add(new ParsedSample(metric, labels, double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    public static ParsedSample One(this IReadOnlyList<ParsedSample> samples, string name, params (string Name, string Value)[] labels) =>
        Assert.Single(samples, s => s.Name == name && s.Has(labels));
}
