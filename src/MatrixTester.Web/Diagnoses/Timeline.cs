using System.Globalization;
using System.Text.Json;
using static MatrixTester.Web.Diagnoses.ReportView;

namespace MatrixTester.Web.Diagnoses;

public enum SegmentKind
{
    Dns,
    Connect,
    Tls,
    Request,
}

/// <summary>A stretch of one row: what kind of work, from when, for how long (milliseconds from the diagnosis start).</summary>
public sealed record TimelineSegment(SegmentKind Kind, double Start, double Duration);

/// <summary>One step on the time axis: label, its segments, how it ended, and whether it is on the critical path.</summary>
public sealed record TimelineRow(string Group, string Label, IReadOnlyList<TimelineSegment> Segments, string Outcome, bool Failed, bool TimedOut)
{
    public double Start => Segments.Min(s => s.Start);

    public double End => Segments.Max(s => s.Start + s.Duration);

    public bool Critical { get; init; }

    /// <summary>The row in words, for the text alternative and for screen readers.</summary>
    public string Describe() =>
        $"starts at {Ms(Start)}, takes {Ms(End - Start)}{(Segments.Count > 1 ? $" ({string.Join(", ", Segments.Select(s => $"{Name(s.Kind)} {Ms(s.Duration)}"))})" : "")}: {Outcome}";

    internal static string Ms(double ms) => ms switch
    {
        >= 10_000 => $"{(ms / 1000).ToString("0.#", CultureInfo.InvariantCulture)} s",
        >= 1000 => $"{(ms / 1000).ToString("0.0#", CultureInfo.InvariantCulture)} s",
        _ => $"{ms.ToString("0", CultureInfo.InvariantCulture)} ms",
    };

    private static string Name(SegmentKind kind) => kind switch
    {
        SegmentKind.Connect => "TCP connect",
        SegmentKind.Tls => "TLS handshake",
        SegmentKind.Dns => "DNS",
        _ => "request",
    };
}

/// <summary>
/// The diagnosis as a waterfall, built from the stored v2 report: every DNS query, connection (TCP connect + TLS
/// handshake) and HTTP request that has a recorded start, on one axis from 0 to the diagnosis' duration.
/// </summary>
public sealed record Timeline(IReadOnlyList<TimelineRow> Rows, double Total, bool TimedOut, int Untimed)
{
    public static Timeline From(ReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = new List<TimelineRow>();
        var untimed = 0;
        if (report.Discovery is { } discovery)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var answer in DnsAnswers(discovery))
            {
                var type = Str(answer, "type") ?? "?";
                var name = Str(answer, "queryName") ?? "?";
                if (!seen.Add($"{type} {name}"))
                {
                    continue;
                }
                if (Num(answer, "startedAt") is not { } start)
                {
                    untimed++;
                    continue;
                }
                var outcome = Str(answer, "outcome") ?? "?";
                var records = Array(answer, "records").Count;
                rows.Add(new TimelineRow("DNS", $"{type} {name}", [new(SegmentKind.Dns, start, Num(answer, "elapsed") ?? 0)],
                    outcome == "NoError" ? $"{records} record{(records == 1 ? "" : "s")}" : DnsWords(outcome, answer),
                    outcome is not ("NoError" or "NxDomain"), outcome == "Timeout"));
            }
            if (Obj(discovery, "wellKnown") is { } wellKnown)
            {
                rows.AddRange(Array(wellKnown, "attempts").SelectMany(a => Array(a, "requests")).Select(r => Request("Discovery", r)));
            }
        }
        foreach (var connection in report.Connections)
        {
            if (Obj(connection.Element, "tls") is { } tls && Num(tls, "startedAt") is { } start)
            {
                var connect = Num(tls, "connectTime") ?? 0;
                rows.Add(new TimelineRow(connection.Key, $"connect {connection.Key}",
                    [new(SegmentKind.Connect, start, connect), new(SegmentKind.Tls, start + connect, Num(tls, "handshakeTime") ?? 0)],
                    Str(tls, "version") ?? "connected", false, false));
            }
            // With a connect row drawn, the requests' own connect/TLS times repeat it (the connection may have been
            // opened before the request was sent): draw the requests alone.
            var connectDrawn = rows.Count > 0 && rows[^1].Group == connection.Key;
            rows.AddRange(Array(connection.Element, "requests").Select(r => Request(connection.Key, r, splitConnect: !connectDrawn)));
        }
        if (report.TimedOut && report.Discovery is { } d)
        {
            // Addresses still being checked when the time limit struck have no record; show them as what they are.
            var checkedKeys = report.Connections.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            var from = rows.Count == 0 ? 0 : rows.Max(r => r.End);
            var limit = Math.Max(report.DurationMs, from);
            rows.AddRange(Array(d, "endpoints").Select(e => Str(e, "key") ?? "?").Where(k => !checkedKeys.Contains(k)).Select(k =>
                new TimelineRow(k, $"connect {k}", [new(SegmentKind.Request, from, limit - from)], "no answer before the time limit", true, true)));
        }
        if (report.Client is { } client)
        {
            rows.AddRange(Array(client, "requests").Select(r => Request(ClientGroup, r)));
        }
        rows = MarkCriticalPath(rows);
        var total = Math.Max(report.DurationMs, rows.Count == 0 ? 1 : rows.Max(r => r.End));
        return new Timeline(rows, Math.Max(total, 1), report.TimedOut, untimed);
    }

    public const string ClientGroup = "Client files";

    /// <summary>Rows grouped as on the page: DNS, discovery, each address, client files last (not part of federation).</summary>
    public IEnumerable<IGrouping<string, TimelineRow>> Groups => Rows.GroupBy(r => r.Group).OrderBy(g => g.Key switch
    {
        "DNS" => 0,
        "Discovery" => 1,
        ClientGroup => 3,
        _ => 2,
    });

    /// <summary>A request row; a request that opened a connection shows its connect and TLS time first.</summary>
    private static TimelineRow Request(string group, JsonElement r, bool splitConnect = true)
    {
        var start = Num(r, "startedAt") ?? 0;
        var duration = Num(r, "duration") ?? 0;
        var segments = new List<TimelineSegment>();
        var at = start;
        if (splitConnect && Bool(r, "newConnection") == true && Num(r, "connectTime") is { } connect)
        {
            segments.Add(new(SegmentKind.Connect, at, connect));
            at += connect;
            if (Num(r, "tlsTime") is { } tls)
            {
                segments.Add(new(SegmentKind.Tls, at, tls));
                at += tls;
            }
        }
        segments.Add(new(SegmentKind.Request, at, Math.Max(0, start + duration - at)));
        var failure = Str(r, "failure") ?? "None";
        var status = r.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : (int?)null;
        var timedOut = failure is "Timeout" or "ConnectTimeout";
        var outcome = failure != "None" ? (timedOut ? $"timed out after {TimelineRow.Ms(duration)}" : Words(failure)) : $"HTTP {status}";
        var path = Uri.TryCreate(Str(r, "url"), UriKind.Absolute, out var url) ? url.AbsolutePath : Str(r, "url") ?? "?";
        var via = Str(r, "address") is { } address && group is "Discovery" or ClientGroup ? $" via {address}" : "";
        return new TimelineRow(group, $"GET {path}{via}", segments, outcome, failure != "None" || status is null or >= 400 and not 404, timedOut);
    }

    /// <summary>
    /// The chain that decided how long the federation checks took: from the federation row that ended last, step back
    /// each time to the row that ended last before it started (its likely prerequisite). Client files run alongside
    /// and never hold up federation, so they are not on it.
    /// </summary>
    private static List<TimelineRow> MarkCriticalPath(List<TimelineRow> rows)
    {
        var critical = new HashSet<TimelineRow>();
        var federation = rows.Where(r => r.Group != ClientGroup).ToList();
        var current = federation.Count == 0 ? null : federation.MaxBy(r => r.End);
        while (current is not null && critical.Add(current))
        {
            var start = current.Start;
            current = federation.Where(r => r.End <= start + 1 && !critical.Contains(r)).MaxBy(r => r.End);
        }
        return rows.Select(r => critical.Contains(r) ? r with { Critical = true } : r).OrderBy(r => r.Start).ToList();
    }

    /// <summary>Every DNS answer in the discovery record (SRV, SRV targets, address lookups), found by shape.</summary>
    private static IEnumerable<JsonElement> DnsAnswers(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("queryName", out _) && e.TryGetProperty("elapsed", out _))
            {
                yield return e;
                yield break;
            }
            foreach (var child in e.EnumerateObject().SelectMany(p => DnsAnswers(p.Value)))
            {
                yield return child;
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in e.EnumerateArray().SelectMany(DnsAnswers))
            {
                yield return child;
            }
        }
    }

    /// <summary>The stored failure in the words the detail tables use ("connection refused").</summary>
    private static string Words(string failure) =>
        Enum.TryParse<Diagnostics.Federation.ExchangeFailure>(failure, out var known) ? Diagnostics.Federation.ExchangeFailures.Describe(known) : failure;

    /// <summary>The stored DNS outcome as dig names it (NXDOMAIN, SERVFAIL) or in a few words.</summary>
    private static string DnsWords(string outcome, JsonElement answer) =>
        Enum.TryParse<Diagnostics.DnsLookup.DnsOutcome>(outcome, out var known)
            ? Diagnostics.DnsLookup.DnsStatus.Describe(known, answer.TryGetProperty("rcode", out var rcode) && rcode.TryGetInt32(out var code) ? code : -1)
            : outcome;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
