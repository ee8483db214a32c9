using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.Api;

/// <summary>
/// The v2 JSON in the language a client asked for (Accept-Language, <c>?lang=</c>): each finding keeps its id and
/// English texts, and gains <c>localized: {summary, detail, fix}</c> beside them. Nothing is added for English, so
/// the JSON of a client that does not ask stays exactly what it was.
/// </summary>
internal static class LocalizedFindings
{
    public static bool Wanted => !CultureInfo.CurrentUICulture.Name.Equals(Languages.English, StringComparison.OrdinalIgnoreCase)
        && CultureInfo.CurrentUICulture.Name.Length > 0;

    /// <summary><paramref name="json"/> with every finding in it given its localized texts (unchanged when none are wanted).</summary>
    public static string Add(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!Wanted || JsonNode.Parse(json) is not { } node)
        {
            return json;
        }
        Walk(node);
        return node.ToJsonString(ReportJson.Options);
    }

    public static JsonNode Add(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (Wanted)
        {
            Walk(node);
        }
        return node;
    }

    private static void Walk(JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>())
                {
                    Walk(item);
                }
                break;
            case JsonObject obj:
                if (IsFinding(obj) && obj.Deserialize<Finding>(ReportJson.Options) is { } finding)
                {
                    obj["localized"] = JsonSerializer.SerializeToNode(finding.Words(), ReportJson.Options);
                    break;
                }
                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        Walk(child);
                    }
                }
                break;
        }
    }

    private static bool IsFinding(JsonObject obj) =>
        obj.ContainsKey("id") && obj.ContainsKey("severity") && obj.ContainsKey("summary") && obj.ContainsKey("fix") && obj.ContainsKey("docs");
}
