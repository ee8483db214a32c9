using System.Text.Json;
using MatrixTester.Diagnostics.Discovery;
using static MatrixTester.Web.Diagnoses.ReportView;

namespace MatrixTester.Web.Diagnoses;

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
        if (report.Discovery is not { } discovery)
        {
            return MarkFailingEdge(nodes);
        }
        var endpoints = Array(discovery, "endpoints");
        var step = endpoints.Count > 0 && Enum.TryParse<DiscoveryStep>(Str(endpoints[0], "step"), out var s) ? s : (DiscoveryStep?)null;

        if (Obj(discovery, "wellKnown") is { } wellKnown && Str(wellKnown, "outcome") is { } outcome and not "NotApplicable")
        {
            var attempts = Array(wellKnown, "attempts").Select(a => new PathItem(
                $"{Str(a, "address")}: {Answer(Str(a, "outcome"), Str(a, "mServer"))}", State(Str(a, "outcome")))).ToList();
            if (attempts.Count == 0)
            {
                attempts.Add(new PathItem(Answer(outcome, Str(wellKnown, "mServer")), State(outcome)));
            }
            nodes.Add(new(".well-known/matrix/server", "step 3: fetch https://<server name>/.well-known/matrix/server", State(outcome), attempts));
        }

        var delegated = step is >= DiscoveryStep.WellKnownIpLiteral and <= DiscoveryStep.WellKnownDefaultPort;
        if (Obj(discovery, "srv") is { } srv)
        {
            var targets = Array(srv, "targets").Select(t => Obj(t, "record")).OfType<JsonElement>().ToList();
            var items = targets.Select((r, i) => new PathItem(
                $"{Str(r, "target")}:{Num(r, "port")} (priority {Num(r, "priority")}, weight {Num(r, "weight")})",
                PathState.Ok, Mark: i == 0 ? "tried first" : null)).ToList();
            var used = Str(srv, "used");
            var failed = Array(srv, "findings").Any(f => Str(f, "id") == "srv.lookup_failed");
            if (items.Count == 0)
            {
                items.Add(new(failed ? "the lookup failed" : used == "NotOffered" ? "target \".\": service not offered" : "no record (normal)", failed || used == "NotOffered" ? PathState.Failed : PathState.Neutral));
            }
            var record = used == "Deprecated" ? "_matrix._tcp" : "_matrix-fed._tcp";
            nodes.Add(new($"SRV {record}.{Str(srv, "host")}", delegated ? "steps 3.3 and 3.4: SRV of the delegated host" : "steps 4 and 5: SRV of the server name",
                failed || used == "NotOffered" ? PathState.Failed : items[0].State, items));
        }

        var hosts = endpoints.Select(e => $"{Str(e, "tlsName")}, port {Num(e, "port")}").Distinct(StringComparer.Ordinal).ToList();
        nodes.Add(new("Host", step is { } st ? $"step {st.Number()}: {st.Describe()}" : "no step leads to an address",
            hosts.Count == 0 ? PathState.Failed : PathState.Ok,
            hosts.Count == 0 ? [new(Str(discovery, "resolvedHost") ?? report.DisplayName, PathState.Failed)] : hosts.Select(h => new PathItem(h, PathState.Ok)).ToList()));

        var connections = report.Connections.Select((c, i) => (c.Key, c.Passed, Index: i,
            Problem: Array(c.Element, "findings").Where(f => Str(f, "severity") == "Error").Select(f => Str(f, "summary")).FirstOrDefault())).ToList();
        var addresses = endpoints.Select(e => Str(e, "key") ?? "?").Select(key =>
        {
            var match = connections.FirstOrDefault(c => c.Key == key);
            var state = match.Key is null ? (report.TimedOut ? PathState.Failed : PathState.Neutral) : match.Passed == true ? PathState.Ok : PathState.Failed;
            var verdict = match.Key is null ? (report.TimedOut ? "no answer before the time limit" : "not checked") : match.Passed == true ? "federation checks passed" : $"failed{(match.Problem is { } p ? $" ({p})" : "")}";
            return new PathItem($"{key}: {verdict}", state, match.Key is null ? null : $"#detail-conn-{match.Index}");
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

    private static string Answer(string? outcome, string? mServer) => outcome switch
    {
        "Delegated" => $"delegates to {mServer}",
        "NotFound" => "404, no delegation (normal)",
        _ => $"unusable ({(Enum.TryParse<WellKnownOutcome>(outcome, out var known) ? known.Describe() : outcome)}), peers go on with SRV",
    };

    private static PathState State(string? outcome) => outcome switch
    {
        "Delegated" => PathState.Ok,
        "NotFound" or "NotApplicable" => PathState.Neutral,
        _ => PathState.Warning,
    };

    private static string Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "?";
}
