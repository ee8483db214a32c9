using System.Globalization;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Web.ReportViews;

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
        SiteText.Format("timeline.row", Ms(Start), Ms(End - Start), Segments.Count > 1 ? $" ({string.Join(", ", Segments.Select(s => $"{Name(s.Kind)} {Ms(s.Duration)}"))})" : "", Outcome);

    internal static string Ms(double ms) => ms switch
    {
        >= 10_000 => SiteText.Format("unit.s", (ms / 1000).ToString("0.#", CultureInfo.InvariantCulture)),
        >= 1000 => SiteText.Format("unit.s", (ms / 1000).ToString("0.0#", CultureInfo.InvariantCulture)),
        _ => SiteText.Format("unit.ms", ms.ToString("0", CultureInfo.InvariantCulture)),
    };

    private static string Name(SegmentKind kind) => SiteText.Get(kind switch
    {
        SegmentKind.Connect => "timeline.connect",
        SegmentKind.Tls => "timeline.tls",
        SegmentKind.Dns => "timeline.dns",
        _ => "timeline.request",
    });
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
        var diagnosis = report.Report;
        if (diagnosis.Discovery is { } discovery)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var answer in DnsAnswers(discovery))
            {
                if (!seen.Add($"{answer.Type} {answer.QueryName}"))
                {
                    continue;
                }
                if (answer.StartedAt is not { } start)
                {
                    untimed++;
                    continue;
                }
                var records = answer.Records.Count;
                rows.Add(new TimelineRow("DNS", $"{answer.Type} {answer.QueryName}", [new(SegmentKind.Dns, start.TotalMilliseconds, answer.Elapsed.TotalMilliseconds)],
                    answer.Outcome == DnsOutcome.NoError ? string.Create(CultureInfo.InvariantCulture, $"{records} record{(records == 1 ? "" : "s")}") : OutcomeWords.Dns(answer.Outcome),
                    answer.Outcome is not (DnsOutcome.NoError or DnsOutcome.NxDomain), answer.Outcome == DnsOutcome.Timeout));
            }
            rows.AddRange(discovery.WellKnown.Attempts.SelectMany(a => a.Requests).Select(r => Request("Discovery", r)));
        }
        foreach (var connection in diagnosis.Connections)
        {
            var key = connection.Endpoint.Key;
            if (connection.Tls is { StartedAt: { } start } tls)
            {
                var connect = tls.ConnectTime.TotalMilliseconds;
                rows.Add(new TimelineRow(key, $"connect {key}",
                    [new(SegmentKind.Connect, start.TotalMilliseconds, connect), new(SegmentKind.Tls, start.TotalMilliseconds + connect, tls.HandshakeTime.TotalMilliseconds)],
                    tls.Version, false, false));
            }
            // With a connect row drawn, the requests' own connect/TLS times repeat it (the connection may have been
            // opened before the request was sent): draw the requests alone.
            var connectDrawn = rows.Count > 0 && rows[^1].Group == key;
            rows.AddRange(connection.Requests.Select(r => Request(key, r, splitConnect: !connectDrawn)));
        }
        var durationMs = diagnosis.Duration.TotalMilliseconds;
        if (diagnosis.TimedOut && diagnosis.Discovery is { } d)
        {
            // Addresses still being checked when the time limit struck have no record; show them as what they are.
            var checkedKeys = diagnosis.Connections.Select(c => c.Endpoint.Key).ToHashSet(StringComparer.Ordinal);
            var from = rows.Count == 0 ? 0 : rows.Max(r => r.End);
            var limit = Math.Max(durationMs, from);
            rows.AddRange(d.Endpoints.Select(e => e.Key).Where(k => !checkedKeys.Contains(k)).Select(k =>
                new TimelineRow(k, $"connect {k}", [new(SegmentKind.Request, from, limit - from)], SiteText.Get("timeline.no_answer_limit"), true, true)));
        }
        if (diagnosis.Client is { } client)
        {
            rows.AddRange(client.Requests.Select(r => Request(ClientGroup, r)));
        }
        rows = MarkCriticalPath(rows);
        var total = Math.Max(durationMs, rows.Count == 0 ? 1 : rows.Max(r => r.End));
        return new Timeline(rows, Math.Max(total, 1), diagnosis.TimedOut, untimed);
    }

    public const string ClientGroup = "Client files";

    /// <summary>A group's heading: the three named groups in words, an address as it is.</summary>
    public static string GroupTitle(string group) => group switch
    {
        "DNS" => SiteText.Get("timeline.dns"),
        "Discovery" => SiteText.Get("timeline.group.discovery"),
        ClientGroup => SiteText.Get("timeline.group.client"),
        _ => group,
    };

    /// <summary>Rows grouped as on the page: DNS, discovery, each address, client files last (not part of federation).</summary>
    public IEnumerable<IGrouping<string, TimelineRow>> Groups => Rows.GroupBy(r => r.Group).OrderBy(g => g.Key switch
    {
        "DNS" => 0,
        "Discovery" => 1,
        ClientGroup => 3,
        _ => 2,
    });

    /// <summary>A request row; a request that opened a connection shows its connect and TLS time first.</summary>
    private static TimelineRow Request(string group, HttpExchange r, bool splitConnect = true)
    {
        var start = r.StartedAt.TotalMilliseconds;
        var duration = r.Duration.TotalMilliseconds;
        var segments = new List<TimelineSegment>();
        var at = start;
        if (splitConnect && r.NewConnection && r.ConnectTime is { } connect)
        {
            segments.Add(new(SegmentKind.Connect, at, connect.TotalMilliseconds));
            at += connect.TotalMilliseconds;
            if (r.TlsTime is { } tls)
            {
                segments.Add(new(SegmentKind.Tls, at, tls.TotalMilliseconds));
                at += tls.TotalMilliseconds;
            }
        }
        segments.Add(new(SegmentKind.Request, at, Math.Max(0, start + duration - at)));
        var failed = r.Failure != ExchangeFailure.None;
        var timedOut = r.Failure is ExchangeFailure.Timeout or ExchangeFailure.ConnectTimeout;
        var outcome = failed
            ? (timedOut ? SiteText.Format("timeline.timed_out_after", TimelineRow.Ms(duration)) : OutcomeWords.Exchange(r.Failure))
            : string.Create(CultureInfo.InvariantCulture, $"HTTP {r.Status}");
        var path = Uri.TryCreate(r.Url, UriKind.Absolute, out var url) ? url.AbsolutePath : r.Url;
        var via = group is "Discovery" or ClientGroup ? $" via {r.Address}" : "";
        return new TimelineRow(group, $"GET {path}{via}", segments, outcome, failed || r.Status is null or >= 400 and not 404, timedOut);
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

    /// <summary>Every DNS answer in the discovery record: the SRV lookups, each SRV target's addresses, the address lookups.</summary>
    private static IEnumerable<DnsAnswer> DnsAnswers(DiscoveryResult discovery)
    {
        if (discovery.Srv is { } srv)
        {
            yield return srv.MatrixFed;
            if (srv.Deprecated is { } deprecated)
            {
                yield return deprecated;
            }
            foreach (var target in srv.Targets)
            {
                if (target.AddressesV6 is { } v6)
                {
                    yield return v6;
                }
                if (target.AddressesV4 is { } v4)
                {
                    yield return v4;
                }
            }
        }
        foreach (var lookup in discovery.AddressLookups)
        {
            yield return lookup;
        }
    }
}
