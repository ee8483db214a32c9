using System.Text.Json;
using MatrixTester.Diagnostics;
using Microsoft.AspNetCore.Html;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// Renders any JSON value of a report as nested definition lists, so every field the engine records (requests with
/// URL, Host, SNI and timing; certificates; keys) is shown without a template per type. All text goes through
/// <see cref="HtmlContentBuilder.Append(string)"/>, which HTML-encodes it: report data is never raw HTML. Every
/// value spends from the page's <see cref="HtmlBudget"/>; once it is used up, one line says the rest is in the JSON.
/// </summary>
public static class JsonHtml
{
    private const int MaxDepth = 24;

    public static IHtmlContent Render(JsonElement element, HtmlBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var html = new HtmlContentBuilder();
        Value(html, element, 0, budget);
        return html;
    }

    private static void Omitted(HtmlContentBuilder html) =>
        html.AppendHtml("<span class=\"json-omitted\">Not shown: this page has shown as many details as it can; the JSON report has them all.</span>");

    private static void Value(HtmlContentBuilder html, JsonElement element, int depth, HtmlBudget budget)
    {
        var text = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Object or JsonValueKind.Array => null,
            _ => element.GetRawText(),
        };
        if (!budget.TrySpend(text))
        {
            Omitted(html);
            return;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when depth < MaxDepth:
                Object(html, element, depth, budget);
                break;
            case JsonValueKind.Array when depth < MaxDepth:
                Array(html, element, depth, budget);
                break;
            case JsonValueKind.String:
                text ??= "";
                html.AppendHtml(text.Contains('\n', StringComparison.Ordinal) || text.Length > 120 ? "<pre class=\"json-long\" tabindex=\"0\">" : "<span class=\"json-str\">");
                html.Append(text);
                html.AppendHtml(text.Contains('\n', StringComparison.Ordinal) || text.Length > 120 ? "</pre>" : "</span>");
                break;
            case JsonValueKind.Null:
                html.AppendHtml("<span class=\"json-null\">none</span>");
                break;
            case JsonValueKind.True:
                html.AppendHtml("<span class=\"json-bool json-true\">yes</span>");
                break;
            case JsonValueKind.False:
                html.AppendHtml("<span class=\"json-bool json-false\">no</span>");
                break;
            default:
                html.AppendHtml("<span class=\"json-num\">");
                html.Append(element.GetRawText());
                html.AppendHtml("</span>");
                break;
        }
    }

    private static void Object(HtmlContentBuilder html, JsonElement element, int depth, HtmlBudget budget)
    {
        var properties = element.EnumerateObject().ToList();
        if (properties.Count == 0)
        {
            html.AppendHtml("<span class=\"json-null\">empty</span>");
            return;
        }
        html.AppendHtml("<dl class=\"json-obj\">");
        foreach (var p in properties)
        {
            if (budget.Exhausted || !budget.TrySpend(p.Name))
            {
                html.AppendHtml("<div class=\"json-pair\"><dd>");
                Omitted(html);
                html.AppendHtml("</dd></div>");
                break;
            }
            var nested = p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && Size(p.Value) > 0 && !IsScalarList(p.Value);
            if (nested)
            {
                // Big branches fold away, so the first screen stays readable; small ones stay open.
                html.AppendHtml(Size(p.Value) > 6 || depth > 1 ? "<div class=\"json-branch\"><details><summary>" : "<div class=\"json-branch\"><details open><summary>");
                Name(html, p.Name);
                if (p.Value.ValueKind == JsonValueKind.Array)
                {
                    html.AppendHtml(" <span class=\"json-count\">");
                    html.Append($"({p.Value.GetArrayLength()})");
                    html.AppendHtml("</span>");
                }
                html.AppendHtml("</summary>");
                Value(html, p.Value, depth + 1, budget);
                html.AppendHtml("</details></div>");
            }
            else
            {
                html.AppendHtml("<div class=\"json-pair\"><dt>");
                Name(html, p.Name);
                html.AppendHtml("</dt><dd>");
                if (p.Value.ValueKind == JsonValueKind.Number && IsFieldName(p.Name) && IsDuration(p.Name))
                {
                    // ReportJson writes every TimeSpan as milliseconds.
                    html.AppendHtml("<span class=\"json-num\">");
                    html.Append($"{p.Value.GetRawText()} ms");
                    html.AppendHtml("</span>");
                }
                else
                {
                    Value(html, p.Value, depth + 1, budget);
                }
                html.AppendHtml("</dd></div>");
            }
        }
        html.AppendHtml("</dl>");
    }

    private static void Array(HtmlContentBuilder html, JsonElement element, int depth, HtmlBudget budget)
    {
        if (element.GetArrayLength() == 0)
        {
            html.AppendHtml("<span class=\"json-null\">none</span>");
            return;
        }
        if (IsScalarList(element))
        {
            html.AppendHtml("<ul class=\"json-inline\">");
            foreach (var item in element.EnumerateArray().TakeWhile(_ => !budget.Exhausted))
            {
                html.AppendHtml("<li>");
                Value(html, item, depth + 1, budget);
                html.AppendHtml("</li>");
            }
            html.AppendHtml("</ul>");
            return;
        }
        html.AppendHtml("<ol class=\"json-arr\">");
        foreach (var item in element.EnumerateArray().TakeWhile(_ => !budget.Exhausted))
        {
            html.AppendHtml("<li>");
            Value(html, item, depth + 1, budget);
            html.AppendHtml("</li>");
        }
        html.AppendHtml("</ol>");
    }

    private static bool IsDuration(string name) =>
        name.EndsWith("Time", StringComparison.Ordinal) || name.EndsWith("Duration", StringComparison.OrdinalIgnoreCase)
        || name is "at" or "startedAt" or "elapsed" || name.EndsWith("Timeout", StringComparison.Ordinal);

    private static int Size(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() : e.EnumerateObject().Count();

    private static bool IsScalarList(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(i => i.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array));

    /// <summary>
    /// A member name: the report's own fields read as words; any other name (a key id, an address, a name from a
    /// server's JSON, including the empty name) is data and is shown as written, quoted, with control characters visible.
    /// </summary>
    private static void Name(HtmlContentBuilder html, string name)
    {
        if (IsFieldName(name))
        {
            html.Append(Label(name));
            return;
        }
        html.AppendHtml("<code class=\"json-key\">");
        html.Append($"\"{VisibleText.Escape(name)}\"");
        html.AppendHtml("</code>");
    }

    /// <summary>Our own field names are camelCase identifiers (the report is written with the web naming policy).</summary>
    private static bool IsFieldName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterLower(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    /// <summary>"hostHeader" → "Host header"; "tlsName" → "TLS name": field names read as words.</summary>
    public static string Label(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "";
        }
        var words = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                words.Append(' ');
            }
            words.Append(i == 0 ? char.ToUpperInvariant(c) : c);
        }
        var label = words.ToString();
        foreach (var (word, fixedWord) in Acronyms)
        {
            label = System.Text.RegularExpressions.Regex.Replace(label, $@"\b{word}\b", fixedWord, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        }
        return label[..1].ToUpperInvariant() + label[1..];
    }

    private static readonly (string, string)[] Acronyms =
        [("tls", "TLS"), ("sni", "SNI"), ("srv", "SRV"), ("dns", "DNS"), ("ipv4", "IPv4"), ("ipv6", "IPv6"), ("url", "URL"), ("ttl", "TTL"), ("ip", "IP"), ("ms", "ms"), ("sha256", "SHA-256"), ("id", "id")];
}
