using System.Globalization;
using MatrixTester.Diagnostics;
using Microsoft.Extensions.Localization;

namespace MatrixTester.Web.Hosting;

/// <summary>
/// The resx localizers, with each string marked under the pseudo-locale (<see cref="Languages.Mark"/>) so a browser
/// test can tell text that came from the resources from text that bypassed them. In English and German it changes
/// nothing.
/// </summary>
public sealed class MarkedLocalizerFactory(ResourceManagerStringLocalizerFactory inner) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => new Marked(inner.Create(resourceSource));

    public IStringLocalizer Create(string baseName, string location) => new Marked(inner.Create(baseName, location));

    private sealed class Marked(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => Mark(inner[name]);

        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var template = Mark(inner[name]);
                return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, template.Value, arguments), template.ResourceNotFound, template.SearchedLocation);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures).Select(Mark);

        // A missing key stays as it is (the key itself): the pseudo-locale test then finds it unmarked.
        private static LocalizedString Mark(LocalizedString s) =>
            s.ResourceNotFound ? s : new LocalizedString(s.Name, Languages.Mark(s.Value), false, s.SearchedLocation);
    }
}
