using System.Globalization;
using System.Resources;
using System.Text;

namespace MatrixTester.Diagnostics;

/// <summary>
/// The engine's words (verdicts, checklist, outcomes, findings) from <c>Resources/Engine.resx</c> and its
/// translations (<c>Engine.de.resx</c>), in the current UI culture with English as the fallback. Templates name their
/// arguments (<c>{server}</c>), so a translation may put them in any order; braces that name no argument are text
/// (a fix may quote <c>{"m.server": …}</c>).
/// </summary>
public static class EngineText
{
    private static readonly ResourceManager Resources = new("MatrixTester.Diagnostics.Resources.Engine", typeof(EngineText).Assembly);

    /// <summary>The string for <paramref name="key"/> in the current UI culture.</summary>
    public static string Get(string key) => Languages.Mark(Lookup(key, CultureInfo.CurrentUICulture));

    /// <summary>The template for <paramref name="key"/> in the current UI culture, its arguments filled in.</summary>
    public static string Format(string key, params ReadOnlySpan<(string Name, object? Value)> args) =>
        Fill(Get(key), args);

    /// <summary>The English text, whatever the current culture: what reports and the JSON APIs keep.</summary>
    public static string English(string key, params ReadOnlySpan<(string Name, object? Value)> args) =>
        Fill(Lookup(key, CultureInfo.InvariantCulture), args);

    /// <summary>The text in English (<paramref name="english"/>) or in the current UI culture: for code that writes both.</summary>
    public static string In(bool english, string key, params ReadOnlySpan<(string Name, object? Value)> args) =>
        english ? English(key, args) : Format(key, args);

    /// <summary>Whether the resources have <paramref name="key"/> (in English, which has every key).</summary>
    public static bool Has(string key) => Resources.GetString(key, CultureInfo.InvariantCulture) is not null;

    private static string Lookup(string key, CultureInfo culture) =>
        Resources.GetString(key, culture) ?? throw new MissingManifestResourceException($"No engine text '{key}'.");

    /// <summary>Replaces each <c>{name}</c> that names an argument; numbers are written culture-invariant.</summary>
    public static string Fill(string template, ReadOnlySpan<(string Name, object? Value)> args)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (args.IsEmpty || !template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }
        var result = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (close < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }
            result.Append(template, i, open - i);
            var name = template.AsSpan(open + 1, close - open - 1);
            var found = false;
            foreach (var (argName, value) in args)
            {
                if (name.SequenceEqual(argName))
                {
                    result.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                    found = true;
                    break;
                }
            }
            if (found)
            {
                i = close + 1;
            }
            else
            {
                result.Append('{');
                i = open + 1;
            }
        }
        return result.ToString();
    }
}
