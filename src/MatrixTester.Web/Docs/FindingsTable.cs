using System.Text;
using System.Text.Encodings.Web;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Web.Docs;

/// <summary>
/// The findings catalog table, generated from <see cref="FindingCatalog.All"/> so it can never miss an id, with the
/// verdict each id counts for from the one table that decides it (<see cref="FindingParts"/>).
/// </summary>
internal static class FindingsTable
{
    public static string Html()
    {
        var encode = HtmlEncoder.Default;
        var html = new StringBuilder($"<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{encode.Encode(SiteText.Get("catalog.label"))}\"><table class=\"findings-catalog\"><thead><tr><th scope=\"col\">{encode.Encode(SiteText.Get("catalog.id"))}</th><th scope=\"col\">{encode.Encode(SiteText.Get("catalog.severity"))}</th><th scope=\"col\">{encode.Encode(SiteText.Get("catalog.meaning"))}</th><th scope=\"col\">{encode.Encode(SiteText.Get("catalog.counts_for"))}</th><th scope=\"col\">{encode.Encode(SiteText.Get("catalog.explained_in"))}</th></tr></thead><tbody>\n");
        foreach (var d in FindingCatalog.All)
        {
            var href = DocsLink(d.Docs);
            html.Append("<tr id=\"").Append(encode.Encode("finding-" + d.Id)).Append("\"><td><code>").Append(encode.Encode(d.Id)).Append("</code></td>")
                .Append("<td><span class=\"severity severity-").Append(d.Severity.ToString().ToLowerInvariant()).Append("\">").Append(encode.Encode(VerdictWords.SeverityLabel(d.Severity))).Append("</span></td>")
                .Append("<td>").Append(encode.Encode(d.Title())).Append("</td>")
                .Append("<td class=\"finding-part\">").Append(encode.Encode(VerdictWords.Part(FindingParts.Of(d.Id)))).Append("</td>")
                .Append("<td><a href=\"").Append(encode.Encode(href)).Append("\">").Append(encode.Encode(d.Docs)).Append("</a></td></tr>\n");
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    /// <summary>A finding's "slug#anchor" as a site URL.</summary>
    public static string DocsLink(string docs) => $"/docs/{docs}";
}
