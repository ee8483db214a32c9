using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Findings;

/// <summary>
/// What a finding's text was made of: a resource key (<c>Resources/Engine.resx</c>) and its named arguments, so the
/// text can be written again in any language. <see cref="Args"/> are values as they were seen (names, addresses,
/// numbers, a server's own words: never translated); <see cref="Terms"/> are arguments that are words of ours, each
/// the key of its own resource string.
/// </summary>
public sealed record Phrase(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Args = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Terms = null)
{
    /// <summary>A phrase with values; each value is written culture-invariant.</summary>
    public static Phrase Of(string key, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        if (args.IsEmpty)
        {
            return new Phrase(key);
        }
        var values = new Dictionary<string, string>(args.Length, StringComparer.Ordinal);
        foreach (var (name, value) in args)
        {
            values[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        return new Phrase(key, values);
    }

    /// <summary>This phrase with an argument that is a word of ours (<paramref name="termKey"/> is its resource key).</summary>
    public Phrase WithTerm(string name, string termKey) =>
        this with { Terms = new Dictionary<string, string>(Terms ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [name] = termKey } };

    /// <summary>The text in English, as reports and the JSON APIs keep it.</summary>
    public string English() => Render(english: true) ?? throw new InvalidOperationException($"No engine text '{Key}'.");

    /// <summary>The text in the reader's language (the current UI culture); null when these resources lack its key.</summary>
    public string? Words() => Render(english: false);

    private string? Render(bool english)
    {
        var values = new List<(string, object?)>();
        foreach (var (name, value) in Args ?? new Dictionary<string, string>())
        {
            values.Add((name, value));
        }
        foreach (var (name, key) in Terms ?? new Dictionary<string, string>())
        {
            // Only our own keys: a term a stored report names that these resources lack is left out, not shown as a key.
            values.Add((name, EngineText.Has(key) ? (english ? EngineText.English(key) : EngineText.Get(key)) : ""));
        }
        if (!EngineText.Has(Key))
        {
            return null;
        }
        return english ? EngineText.English(Key, [.. values]) : EngineText.Format(Key, [.. values]);
    }
}

/// <summary>The phrases a finding's summary, detail and fix were made from; null where a text is a server's own words.</summary>
public sealed record FindingPhrases(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Phrase? Summary = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Phrase? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Phrase? Fix = null);
