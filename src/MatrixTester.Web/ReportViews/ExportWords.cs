using System.Globalization;

namespace MatrixTester.Web.ReportViews;

/// <summary>The English of the Markdown export (one place, so it can move into resources with the rest).</summary>
public static class ExportWords
{
    public const string Checklist = "Checklist";
    public const string KeyFacts = "Key facts";
    public const string Fix = "Fix";
    public const string Docs = "Docs";
    public const string Delegation = "Delegation";
    public const string Discovery = "Discovery";
    public const string Addresses = "Addresses";
    public const string NoAddresses = "none found";
    public const string Certificate = "Certificate";
    public const string Software = "Software";
    public const string Keys = "Signing keys";
    public const string ClientBase = "Clients are sent to";
    public const string AllPassed = "all federation checks passed";
    public const string NotSaved = "This result was not saved, so it has no permalink.";
    public const string ButtonLabel = "Copy for a support room";
    public const string ButtonCopied = "Copied: paste it into your support room";
    public const string ButtonHint = "Markdown for Element or GitHub: the verdict, the checklist, each problem with its fix and the key facts.";

    public static string Problems(int count) => count switch
    {
        0 => "Nothing to fix",
        1 => "1 problem to fix",
        _ => string.Create(CultureInfo.InvariantCulture, $"{count} problems to fix"),
    };

    public static string MoreProblems(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} more on the permalink.");

    public static string Notes(int count) => count == 1 ? "1 note (nothing to fix) on the permalink." : string.Create(CultureInfo.InvariantCulture, $"{count} notes (nothing to fix) on the permalink.");

    public static string MoreItems(int count) => string.Create(CultureInfo.InvariantCulture, $"and {count} more");

    public static string Tested(DateTimeOffset at, TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"tested {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC in {DetailWords.Duration(duration)}");

    public static string Expires(DateTimeOffset at) => $"expires {DetailWords.Day(at)}";

    public static string Expired(DateTimeOffset at) => $"expired {DetailWords.Day(at)}";

    public static string IssuedBy(string issuer) => $"issued by {issuer}";

    public static string Untrusted => "not trusted";

    public static string KeyState(bool verified) => verified ? "signature verifies" : "signature does not verify";

    public static string ValidUntil(DateTimeOffset? at) => $"valid until {DetailWords.Date(at)}";

    public static string From(string site) => $"From {site}";
}
