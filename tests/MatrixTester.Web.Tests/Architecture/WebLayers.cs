using MatrixTester.Diagnostics.Tests.Architecture;

namespace MatrixTester.Web.Tests.Architecture;

/// <summary>
/// The web project's folders and the only arrows allowed between them, bottom to top: the site's shared values at
/// the root and <c>Storage/</c> (every table, migration and connection) at the bottom, beside the request limits
/// (<c>Abuse/</c>) and the docs; running diagnoses (<c>Diagnoses/</c>) and presenting reports (<c>ReportViews/</c>)
/// above them; the features built on those (history, watches, the federation identity, metrics) and the answers to
/// refused requests (<c>Refusals/</c>); endpoints and pages on top; <c>Hosting/</c> composes everything. The same
/// table, in words, is src/MatrixTester.Web/README.md (a test keeps the two equal). A new arrow must be added here on
/// purpose, and the table must stay acyclic.
/// </summary>
internal static class WebLayers
{
    public const string RootNamespace = "MatrixTester.Web";

    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        [LayerGraph.Root] = [],
        ["Storage"] = [LayerGraph.Root],
        ["Abuse"] = [LayerGraph.Root],
        ["Docs"] = [LayerGraph.Root],
        ["Diagnoses"] = [LayerGraph.Root, "Storage", "Abuse"],
        ["ReportViews"] = [LayerGraph.Root, "Storage", "Diagnoses", "Docs"],
        ["Monitoring"] = [LayerGraph.Root, "Storage", "Diagnoses"],
        ["History"] = [LayerGraph.Root, "Storage", "Abuse", "Diagnoses", "ReportViews"],
        ["Federation"] = [LayerGraph.Root, "Storage", "Abuse"],
        ["Statistics"] = [LayerGraph.Root, "Storage", "Docs", "Diagnoses"],
        ["Watches"] = [LayerGraph.Root, "Storage", "Abuse", "Diagnoses", "Docs", "History"],
        ["Refusals"] = [LayerGraph.Root, "Storage", "Abuse", "Diagnoses", "Monitoring"],
        ["Api"] = [LayerGraph.Root, "Storage", "Diagnoses", "Refusals"],
        ["Probe"] = [LayerGraph.Root, "Storage", "Diagnoses", "Refusals", "Api"],
        ["Badges"] = [LayerGraph.Root, "Storage", "Diagnoses"],
        ["Exports"] = [LayerGraph.Root, "Storage", "ReportViews", "History"],
        ["Pages"] = [LayerGraph.Root, "Storage", "Abuse", "Diagnoses", "ReportViews", "Docs", "History", "Watches", "Refusals", "Statistics"],
        ["Hosting"] = [LayerGraph.Root, "Storage", "Abuse", "Docs", "Diagnoses", "ReportViews", "Monitoring", "History", "Federation", "Watches",
            "Refusals", "Api", "Probe", "Badges", "Exports", "Statistics", "Pages"],
    };
}
