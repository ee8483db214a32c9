using System.Globalization;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.ReportViews;

/// <summary>One fact at a glance: what it is about, the answer, and (for software that differs by address) the parts.</summary>
public sealed record GlanceFact(string Label, string Text, IReadOnlyList<string> Items, string? Href = null);

/// <summary>
/// The facts the reference testers put at the top: the server software and version (per address where they
/// differ), the client-server API versions and notable unstable features, the support contacts themselves, and the
/// SRV records in play. Each says plainly when it was not checked rather than implying it failed.
/// </summary>
public static class Glance
{
    public static IReadOnlyList<GlanceFact> From(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ServerName is null)
        {
            return [];
        }
        return [Software(report), Srv(report), ClientApi(report), Support(report)];
    }

    private static GlanceFact Software(DiagnosisReport report)
    {
        var label = SiteText.Get("glance.software");
        var answered = report.Connections.Where(c => c.Version?.Name is not null).ToList();
        if (answered.Count == 0)
        {
            return new(label, SiteText.Get(report.Connections.Count == 0 ? "glance.software.not_checked" : "glance.software.unknown"), []);
        }
        var groups = answered.GroupBy(c => $"{c.Version!.Name} {c.Version.Version}".Trim(), StringComparer.Ordinal).ToList();
        var silent = report.Connections.Count - answered.Count;
        if (groups.Count == 1 && silent == 0)
        {
            return new(label, groups[0].Key, [], "#detail-conn-0");
        }
        var items = groups.Select(g => SiteText.Format("glance.software.on", g.Key, string.Join(", ", g.Select(c => c.Endpoint.Key)))).ToList();
        if (silent > 0)
        {
            items.Add(SiteText.Format("glance.software.not_known", DetailWords.Count(silent, "count.other_address")));
        }
        return new(label, groups.Count == 1 ? SiteText.Format("glance.software.where_answered", groups[0].Key) : SiteText.Get("glance.software.differs"), items);
    }

    private static GlanceFact Srv(DiagnosisReport report)
    {
        var label = SiteText.Get("glance.srv");
        if (report.Discovery is not { } discovery)
        {
            return new(label, SiteText.Get("glance.not_checked"), []);
        }
        if (discovery.Srv is not { } srv)
        {
            return new(label, discovery.Endpoints.Count > 0
                ? SiteText.Format("glance.srv.not_used", discovery.Endpoints[0].Step.Words())
                : SiteText.Get("glance.srv.not_looked_up"), [], "#detail-discovery");
        }
        var table = SrvTable.From(srv);
        if (table.Rows.Count == 0)
        {
            return new(label, table.WhyNone ?? SiteText.Get("glance.none"), [], "#detail-discovery");
        }
        return new(label, table.RecordName, [.. table.Rows.Select(r => SiteText.Format("glance.srv.row", $"{r.Target}:{r.Port}", r.Priority, r.Weight, r.Use))], "#detail-discovery");
    }

    private static GlanceFact ClientApi(DiagnosisReport report)
    {
        var label = SiteText.Get("glance.client_api");
        if (report.Client is not { } client)
        {
            return new(label, SiteText.Get("glance.not_checked"), []);
        }
        if (client.ClientVersions.Count == 0 && client.Findings.Any(f => f.Id == ClientFindings.Timeout.Id))
        {
            return new(label, SiteText.Get("glance.client_api.timeout"), [], "#detail-client");
        }
        if (client.ClientVersions.Count == 0)
        {
            return new(label, client.HomeserverBaseUrl is { } url ? SiteText.Format("glance.client_api.no_versions", url) : SiteText.Get("glance.client_api.not_found"), [], "#detail-client");
        }
        var versions = SiteText.Format("glance.client_api.versions", DetailWords.LatestVersion(client.ClientVersions), DetailWords.Count(client.ClientVersions.Count, "count.version"), client.HomeserverBaseUrl);
        var features = client.UnstableFeatures ?? [];
        var notable = DetailWords.NotableFeatures(features);
        var others = features.Count(f => !DetailWords.IsNotable(f));
        var items = notable.Count == 0 && others == 0 ? [] : new List<string>(notable.Select(n => SiteText.Format("glance.client_api.feature", n)));
        if (others > 0)
        {
            items.Add(SiteText.Format("glance.client_api.others", DetailWords.Count(others, "count.other_feature")));
        }
        return new(label, versions, items, "#detail-client");
    }

    private static GlanceFact Support(DiagnosisReport report)
    {
        var label = SiteText.Get("glance.support");
        var client = report.Client;
        var asked = client?.Requests.Any(r => r.Url.EndsWith("/.well-known/matrix/support", StringComparison.Ordinal)) == true;
        if (client is null || !asked)
        {
            return new(label, SiteText.Get("glance.support.not_checked"), []);
        }
        var items = client.SupportContacts.Select(Contact).ToList();
        if (client.SupportPage is { } page)
        {
            items.Add(SiteText.Format("glance.support.page", page));
        }
        if (items.Count > 0)
        {
            return new(label, client.SupportPage is null ? DetailWords.Count(client.SupportContacts.Count, "count.contact") : SiteText.Format("glance.support.with_page", DetailWords.Count(client.SupportContacts.Count, "count.contact")), items, "#detail-client");
        }
        var notFound = client.Findings.Any(f => f.Id == ClientFindings.SupportNotFound.Id);
        return new(label, SiteText.Get(notFound ? "glance.support.none" : "glance.support.unreadable"), [], "#detail-client");
    }

    private static string Contact(SupportContact contact)
    {
        var ways = new[] { contact.MatrixId, contact.EmailAddress }.OfType<string>().ToList();
        return $"{DetailWords.Role(contact.Role)}: {(ways.Count > 0 ? string.Join(", ", ways) : SiteText.Get("glance.support.no_way"))}";
    }
}
