using System.Globalization;
using System.Resources;
using MatrixTester.Diagnostics;

namespace MatrixTester.Web;

/// <summary>
/// The site's own words (pages, notices, refusals, mails): <c>Resources/SiteText.resx</c> in English and one file per
/// translation beside it (<c>SiteText.de.resx</c>). Views read them through <c>IStringLocalizer&lt;SiteText&gt;</c>;
/// code that builds an answer outside a view (a refusal, a notice, a mail) reads the same resources here, in the
/// current UI culture. Arguments are positional (<c>{0}</c>), as <see cref="string.Format(string, object[])"/> takes them.
/// </summary>
public sealed class SiteText
{
    private static readonly ResourceManager Resources = new("MatrixTester.Web.Resources.SiteText", typeof(SiteText).Assembly);

    private SiteText()
    {
    }

    public static string Get(string key) => Languages.Mark(
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new MissingManifestResourceException($"No site text '{key}'."));

    public static string Format(string key, params object?[] args) => string.Format(CultureInfo.InvariantCulture, Get(key), args);
}
