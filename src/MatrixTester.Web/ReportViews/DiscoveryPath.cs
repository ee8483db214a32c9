using System.Globalization;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Web.ReportViews;

public enum PathState
{
    Ok,
    Neutral,
    Warning,
    Failed,
}

/// <summary>One line inside a node ("192.0.2.1: delegates to …", "matrix.example.org:443, priority 10"), with its own state.</summary>
public sealed record PathItem(string Text, PathState State, string? Href = null, string? Mark = null);

/// <summary>A node of the path with the edge that leads into it (the spec step that takes a homeserver there).</summary>
public sealed record PathNode(string Title, string? Edge, PathState State, IReadOnlyList<PathItem> Items)
{
    /// <summary>True on the first node where discovery fails: the edge into it is the failing edge.</summary>
    public bool FailingEdge { get; init; }

    /// <summary>What the failing edge says: discovery stops before the addresses; at the addresses, connections fail.</summary>
    public string FailureText => SiteText.Get(IsAddresses ? "path.fail.connections" : "path.fail.discovery");

    /// <summary>The last node: the addresses peers connect to.</summary>
    public bool IsAddresses { get; init; }
}

/// <summary>
/// The route a homeserver takes from the server name to the addresses it connects to, as the spec's "resolving
/// server names" steps: server name → .well-known → SRV → host → addresses. Built from the stored report.
/// </summary>
public static class DiscoveryPath
{
    public static IReadOnlyList<PathNode> From(ReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var nodes = new List<PathNode>
        {
            new(SiteText.Get("path.server_name"), null, report.ServerName is null ? PathState.Failed : PathState.Ok,
                [new(report.ServerName ?? SiteText.Format("path.invalid_name", report.Input), report.ServerName is null ? PathState.Failed : PathState.Ok)]),
        };
        if (report.Report.Discovery is not { } discovery)
        {
            return MarkFailingEdge(nodes);
        }
        var endpoints = discovery.Endpoints;
        var step = endpoints.Count > 0 ? endpoints[0].Step : (DiscoveryStep?)null;

        var wellKnown = discovery.WellKnown;
        if (wellKnown.Outcome != WellKnownOutcome.NotApplicable)
        {
            var attempts = wellKnown.Attempts.Select(a => new PathItem($"{a.Address}: {Answer(a.Outcome, a.MServer)}", State(a.Outcome))).ToList();
            if (attempts.Count == 0)
            {
                attempts.Add(new PathItem(Answer(wellKnown.Outcome, wellKnown.MServer), State(wellKnown.Outcome)));
            }
            nodes.Add(new(".well-known/matrix/server", SiteText.Get("path.edge.well_known"), State(wellKnown.Outcome), attempts));
        }

        var delegated = step is >= DiscoveryStep.WellKnownIpLiteral and <= DiscoveryStep.WellKnownDefaultPort;
        if (discovery.Srv is { } srv)
        {
            var items = srv.Records.Select((r, i) => new PathItem(
                SiteText.Format("path.srv.record", $"{r.Target}:{r.Port}", r.Priority, r.Weight),
                PathState.Ok, Mark: i == 0 ? SiteText.Get("path.srv.tried_first") : null)).ToList();
            var notOffered = srv.Used == SrvSource.NotOffered;
            if (items.Count == 0)
            {
                items.Add(new(SiteText.Get(srv.Failed ? "path.srv.failed" : notOffered ? "path.srv.not_offered" : "path.srv.none"),
                    srv.Failed || notOffered ? PathState.Failed : PathState.Neutral));
            }
            var record = srv.Used == SrvSource.Deprecated ? "_matrix._tcp" : "_matrix-fed._tcp";
            nodes.Add(new($"SRV {record}.{srv.Host}", SiteText.Get(delegated ? "path.edge.srv_delegated" : "path.edge.srv_name"),
                srv.Failed || notOffered ? PathState.Failed : items[0].State, items));
        }

        var hosts = endpoints.Select(e => SiteText.Format("path.host.port", e.TlsName, e.Port)).Distinct(StringComparer.Ordinal).ToList();
        nodes.Add(new(SiteText.Get("path.host"), step is { } st ? SiteText.Format("path.edge.step", st.Number(), st.Words()) : SiteText.Get("path.edge.no_step"),
            hosts.Count == 0 ? PathState.Failed : PathState.Ok,
            hosts.Count == 0 ? [new(discovery.ResolvedHost, PathState.Failed)] : hosts.Select(h => new PathItem(h, PathState.Ok)).ToList()));

        var connections = report.Report.Connections;
        var addresses = endpoints.Select(e =>
        {
            var index = connections.ToList().FindIndex(c => c.Endpoint.Key == e.Key);
            if (index < 0)
            {
                // Not checked is not failed: the test stopped before this address answered.
                return new PathItem($"{e.Key}: {CheckWords.AddressNotReached(report.Reading.Run)}", PathState.Neutral);
            }
            var c = connections[index];
            var problem = c.Findings.FirstOrDefault(f => f.Severity == Severity.Error)?.Words().Summary;
            return new PathItem($"{e.Key}: {(c.Passed ? SiteText.Get("path.address.passed") : problem is { } p ? SiteText.Format("path.address.failed_because", p) : SiteText.Get("path.address.failed"))}",
                c.Passed ? PathState.Ok : PathState.Failed, "#" + Anchors.Connection(index));
        }).ToList();
        nodes.Add(new(SiteText.Get("path.addresses"), SiteText.Get("path.edge.addresses"), addresses.Count == 0 ? PathState.Failed : Worst(addresses.Select(a => a.State)),
            addresses.Count == 0 ? [new(SiteText.Get("path.addresses.none"), PathState.Failed)] : addresses) { IsAddresses = true });
        return MarkFailingEdge(nodes);
    }

    private static List<PathNode> MarkFailingEdge(List<PathNode> nodes)
    {
        var first = nodes.FindIndex(n => n.State == PathState.Failed);
        return first < 0 ? nodes : nodes.Select((n, i) => i == first ? n with { FailingEdge = true } : n).ToList();
    }

    private static PathState Worst(IEnumerable<PathState> states) => states.DefaultIfEmpty(PathState.Neutral).Max();

    private static string Answer(WellKnownOutcome outcome, string? mServer) => outcome switch
    {
        WellKnownOutcome.Delegated => SiteText.Format("path.wk.delegated", mServer),
        WellKnownOutcome.NotFound => SiteText.Get("path.wk.not_found"),
        _ => SiteText.Format("path.wk.unusable", OutcomeWords.WellKnown(outcome)),
    };

    private static PathState State(WellKnownOutcome outcome) => outcome switch
    {
        WellKnownOutcome.Delegated => PathState.Ok,
        WellKnownOutcome.NotFound or WellKnownOutcome.NotApplicable => PathState.Neutral,
        _ => PathState.Warning,
    };
}
