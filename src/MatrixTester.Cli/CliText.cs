using System.Globalization;
using System.Resources;
using MatrixTester.Diagnostics;

namespace MatrixTester.Cli;

/// <summary>
/// The command line's own words (<c>Resources/CliText.resx</c>, one file per language), in the current UI culture;
/// the verdicts, checklist and findings come from the engine's resources like on the site.
/// </summary>
internal static class CliText
{
    // POSIX precedence: LC_ALL overrides everything, LC_MESSAGES the language of messages, LANG is the default.
    private static readonly string[] LocaleVariables = ["LC_ALL", "LC_MESSAGES", "LANG"];

    private static readonly ResourceManager Resources = new("MatrixTester.Cli.Resources.CliText", typeof(CliText).Assembly);

    public static string Get(string key) => Languages.Mark(
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new MissingManifestResourceException($"No CLI text '{key}'."));

    public static string Format(string key, params object?[] args) => string.Format(CultureInfo.InvariantCulture, Get(key), args);

    /// <summary>
    /// The language to write in: <c>--lang</c>, else the POSIX locale (<c>LC_ALL</c>, then <c>LC_MESSAGES</c>, then
    /// <c>LANG</c>, the first one set); English when none names a language we have.
    /// </summary>
    public static string Language(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (option is not null)
        {
            return Languages.Match(option, allowPseudo: true) ?? Languages.English;
        }
        var locale = LocaleVariables.Select(environment).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return Languages.Match(locale) ?? Languages.English;
    }
}
