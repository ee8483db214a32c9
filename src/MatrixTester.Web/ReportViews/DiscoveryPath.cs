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
    public string FailureText => Title == "Addresses" ? "✗ connections fail here" : "✗ discovery stops here";
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
            new("Server name", null, report.ServerName is null ? PathState.Failed : PathState.Ok,
                [new(report.ServerName ?? $"{report.Input} is not a valid server name", report.ServerName is null ? PathState.Failed : PathState.Ok)]),
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
            nodes.Add(new(".well-known/matrix/server", "step 3: fetch https://<server name>/.well-known/matrix/server", State(wellKnown.Outcome), attempts));
        }

        var delegated = step is >= DiscoveryStep.WellKnownIpLiteral and <= DiscoveryStep.WellKnownDefaultPort;
        if (discovery.Srv is { } srv)
        {
            var items = srv.Records.Select((r, i) => new PathItem(
                string.Create(CultureInfo.InvariantCulture, $"{r.Target}:{r.Port} (priority {r.Priority}, weight {r.Weight})"),
                PathState.Ok, Mark: i == 0 ? "tried first" : null)).ToList();
            var notOffered = srv.Used == SrvSource.NotOffered;
            if (items.Count == 0)
            {
                items.Add(new(srv.Failed ? "the lookup failed" : notOffered ? "target \".\": service not offered" : "no record (normal)",
                    srv.Failed || notOffered ? PathState.Failed : PathState.Neutral));
            }
            var record = srv.Used == SrvSource.Deprecated ? "_matrix._tcp" : "_matrix-fed._tcp";
            nodes.Add(new($"SRV {record}.{srv.Host}", delegated ? "steps 3.3 and 3.4: SRV of the delegated host" : "steps 4 and 5: SRV of the server name",
                srv.Failed || notOffered ? PathState.Failed : items[0].State, items));
        }

        var hosts = endpoints.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.TlsName}, port {e.Port}")).Distinct(StringComparer.Ordinal).ToList();
        nodes.Add(new("Host", step is { } st ? $"step {st.Number()}: {st.Describe()}" : "no step leads to an address",
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
            var problem = c.Findings.FirstOrDefault(f => f.Severity == Severity.Error)?.Summary;
            return new PathItem($"{e.Key}: {(c.Passed ? "federation checks passed" : $"failed{(problem is { } p ? $" ({p})" : "")}")}",
                c.Passed ? PathState.Ok : PathState.Failed, "#" + Anchors.Connection(index));
        }).ToList();
        nodes.Add(new("Addresses", "DNS A and AAAA", addresses.Count == 0 ? PathState.Failed : Worst(addresses.Select(a => a.State)),
            addresses.Count == 0 ? [new("no address to connect to", PathState.Failed)] : addresses));
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
        WellKnownOutcome.Delegated => $"delegates to {mServer}",
        WellKnownOutcome.NotFound => "404, no delegation (normal)",
        _ => $"not usable ({OutcomeWords.WellKnown(outcome)}), peers go on with SRV",
    };

    private static PathState State(WellKnownOutcome outcome) => outcome switch
    {
        WellKnownOutcome.Delegated => PathState.Ok,
        WellKnownOutcome.NotFound or WellKnownOutcome.NotApplicable => PathState.Neutral,
        _ => PathState.Warning,
    };
}
