using System.Globalization;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// The words of the Markdown export and its button in the reader's language (<c>export.*</c> in the site's
/// resources): a German admin pastes the export into a German support room.
/// </summary>
public static class ExportWords
{
    public static string Checklist => SiteText.Get("export.checklist");
    public static string KeyFacts => SiteText.Get("export.key_facts");
    public static string Fix => SiteText.Get("export.fix");
    public static string Docs => SiteText.Get("export.docs");
    public static string Delegation => SiteText.Get("export.delegation");
    public static string Discovery => SiteText.Get("export.discovery");
    public static string Addresses => SiteText.Get("export.addresses");
    public static string NoAddresses => SiteText.Get("export.no_addresses");
    public static string Certificate => SiteText.Get("export.certificate");
    public static string Software => SiteText.Get("export.software");
    public static string Keys => SiteText.Get("export.keys");
    public static string ClientBase => SiteText.Get("export.client_base");
    public static string AllPassed => SiteText.Get("export.all_passed");
    public static string NotSaved => SiteText.Get("export.not_saved");
    public static string ButtonLabel => SiteText.Get("export.button");
    public static string ButtonCopied => SiteText.Get("export.button.copied");
    public static string ButtonHint => SiteText.Get("export.button.hint");
    public static string Untrusted => SiteText.Get("export.untrusted");

    /// <summary>"Federation is broken for example.org": the headline, then the server's name.</summary>
    public static string Heading(string headline, string name) => SiteText.Format("export.heading", headline, name);

    public static string Problems(int count) => count switch
    {
        0 => SiteText.Get("export.problems.none"),
        1 => SiteText.Get("export.problems.one"),
        _ => SiteText.Format("export.problems.other", count),
    };

    public static string MoreProblems(int count) => SiteText.Format("export.more_problems", count);

    public static string Notes(int count) => DetailWords.Count(count, "export.notes");

    public static string MoreItems(int count) => SiteText.Format("export.more_items", count);

    public static string Tested(DateTimeOffset at, TimeSpan duration) =>
        SiteText.Format("export.tested", at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), DetailWords.Duration(duration));

    public static string Expires(DateTimeOffset at) => SiteText.Format("export.expires", DetailWords.Day(at));

    public static string Expired(DateTimeOffset at) => SiteText.Format("export.expired", DetailWords.Day(at));

    public static string IssuedBy(string issuer) => SiteText.Format("export.issued_by", issuer);

    public static string KeyState(bool verified) => SiteText.Get(verified ? "export.key.verifies" : "export.key.fails");

    public static string ValidUntil(DateTimeOffset? at) => SiteText.Format("export.valid_until", DetailWords.Date(at));

    public static string From(string site) => SiteText.Format("export.from", site);
}
