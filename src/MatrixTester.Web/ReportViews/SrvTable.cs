using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Web.ReportViews;

/// <summary>One SRV record with the addresses of its target and what peers do with it.</summary>
public sealed record SrvRow(ushort Priority, ushort Weight, ushort Port, string Target, string Addresses, string Use);

/// <summary>The SRV records in play for one host: the record name peers used, its records, or why there are none.</summary>
public sealed record SrvTable(string RecordName, IReadOnlyList<SrvRow> Rows, string? WhyNone)
{
    public static SrvTable From(SrvResult srv)
    {
        ArgumentNullException.ThrowIfNull(srv);
        var recordName = srv.Used == SrvSource.Deprecated ? srv.Deprecated?.QueryName ?? $"_matrix._tcp.{srv.Host}" : srv.MatrixFed.QueryName;
        var lowest = srv.Targets.Count > 0 ? srv.Targets.Min(t => t.Record.Priority) : 0;
        var sharedFirst = srv.Targets.Count(t => t.Record.Priority == lowest) > 1;
        var rows = srv.Targets.Select(t => new SrvRow(t.Record.Priority, t.Record.Weight, t.Record.Port, t.Record.Target, Addresses(t),
            Use(t, lowest, sharedFirst))).ToList();
        return new SrvTable(recordName, rows, rows.Count > 0 ? null : Explain(srv));
    }

    /// <summary>Lowest priority first (RFC 2782); among equal priorities, peers pick at random, weighted.</summary>
    private static string Use(SrvTarget target, int lowest, bool sharedFirst)
    {
        var use = SiteText.Get(target.Record.Priority != lowest ? "detail.srv.fallback"
            : sharedFirst ? "detail.srv.shared" : "path.srv.tried_first");
        return target.TargetIsCname ? SiteText.Format("detail.srv.cname", use) : use;
    }

    private static string Addresses(SrvTarget target)
    {
        var addresses = target.Addresses.Select(a => a.ToString()).ToList();
        return addresses.Count > 0 ? string.Join(", ", addresses) : SiteText.Get("detail.srv.no_address");
    }

    private static string Explain(SrvResult srv) => srv.Used switch
    {
        SrvSource.NotOffered => SiteText.Format("detail.srv.not_offered", srv.MatrixFed.QueryName),
        _ when srv.Failed => SiteText.Format("detail.srv.failed", DnsStatus.Of(srv.MatrixFed)),
        _ => SiteText.Format("detail.srv.none", srv.Host, DnsStatus.Of(srv.MatrixFed)),
    };
}
