namespace MatrixTester.Web.Docs;

/// <summary>
/// The few YAML front matter keys our pages use (title, order, summary): one <c>key: value</c> per line, optional
/// quotes. A full YAML parser is not worth a dependency for three scalar keys.
/// </summary>
internal static class FrontMatter
{
    public static Dictionary<string, string> Parse(string? yaml)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (yaml is null)
        {
            return values;
        }
        foreach (var raw in yaml.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.StartsWith('-') || line.StartsWith('#') || colon <= 0 || char.IsWhiteSpace(line[0]))
            {
                continue;
            }
            var value = line[(colon + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            values[line[..colon].Trim()] = value;
        }
        return values;
    }
}
