using System.Globalization;

namespace MatrixTester.Diagnostics;

/// <summary>
/// The languages people read the tester in: English (the resources' neutral language, and the fallback for any
/// string a translation lacks) and German. A pseudo-locale wraps every resource string in <c>[!! … !!]</c> so a test
/// can see text that bypasses the resources; it is chosen only where a setting or a test enables it.
/// </summary>
public static class Languages
{
    public const string English = "en";
    public const string German = "de";
    public const string Pseudo = "qps-ploc";

    /// <summary>The languages with a complete set of resources, the fallback first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [English, German];

    /// <summary>Each language's name in that language (for a language switch: people look for their own).</summary>
    public static string NativeName(string language) => language switch
    {
        German => "Deutsch",
        Pseudo => "[!! Pseudo !!]",
        _ => "English",
    };

    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language);

    /// <summary>
    /// The supported language a tag asks for, or null: an HTTP language tag (<c>de-AT</c>), a POSIX locale
    /// (<c>de_DE.UTF-8</c>, <c>de_CH@euro</c>) or a bare language. Only the primary subtag counts: our German is for
    /// every German-speaking region. The pseudo-locale is matched only when <paramref name="allowPseudo"/> is set.
    /// </summary>
    public static string? Match(string? tag, bool allowPseudo = false)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }
        var trimmed = tag.Trim();
        if (allowPseudo && trimmed.Equals(Pseudo, StringComparison.OrdinalIgnoreCase))
        {
            return Pseudo;
        }
        var end = trimmed.AsSpan().IndexOfAny("-_.@");
        var primary = end < 0 ? trimmed : trimmed[..end];
        return Supported.FirstOrDefault(l => l.Equals(primary, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether the current thread reads the pseudo-locale.</summary>
    public static bool IsPseudo => CultureInfo.CurrentUICulture.Name.Equals(Pseudo, StringComparison.OrdinalIgnoreCase);

    /// <summary>A resource string as the current language shows it: unchanged, or wrapped under the pseudo-locale.</summary>
    public static string Mark(string text) => IsPseudo ? $"[!!{text}!!]" : text;

    /// <summary>Runs <paramref name="action"/> with the UI culture of <paramref name="language"/>, then restores the caller's.</summary>
    public static T In<T>(string? language, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Culture(Match(language, allowPseudo: true) ?? English);
        try
        {
            return action();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
