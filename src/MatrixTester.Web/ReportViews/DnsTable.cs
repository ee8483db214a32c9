using System.Globalization;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Web.ReportViews;

/// <summary>One line of a DNS answer as dig prints it: name, type, TTL and data.</summary>
public sealed record DnsRow(string Name, string Type, string Ttl, string Data);

/// <summary>One query with its answer lines, how it ended (dig's status), the name server asked and how long it took.</summary>
public sealed record DnsQuery(string Question, IReadOnlyList<DnsRow> Rows, string Status, bool Failed, string Server, string Time);

/// <summary>Every DNS query of a diagnosis, in the order they were sent, each once.</summary>
public static class DnsTable
{
    public static IReadOnlyList<DnsQuery> From(DiscoveryResult discovery)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        var answers = discovery.AddressLookups.ToList();
        if (discovery.Srv is { } srv)
        {
            answers.Add(srv.MatrixFed);
            answers.AddRange(new[] { srv.Deprecated }.OfType<DnsAnswer>());
            answers.AddRange(srv.Targets.SelectMany(t => new[] { t.AddressesV6, t.AddressesV4 }).OfType<DnsAnswer>());
        }
        return [.. answers
            .DistinctBy(a => (a.QueryName, a.Type))
            .OrderBy(a => a.StartedAt ?? TimeSpan.MaxValue)
            .Select(Query)];
    }

    private static DnsQuery Query(DnsAnswer answer)
    {
        var rows = new List<DnsRow>();
        var name = answer.QueryName;
        foreach (var alias in answer.CnameChain)
        {
            // The chain keeps the names only: a CNAME's TTL is not in the report.
            rows.Add(new DnsRow(name, "CNAME", DetailWords.None, alias));
            name = alias;
        }
        rows.AddRange(answer.Records.Select(r => new DnsRow(r.Name, answer.Type.ToString(), r.Ttl.ToString(CultureInfo.InvariantCulture), Data(r))));
        if (answer.Records.Count == 0)
        {
            rows.Add(new DnsRow(name, answer.Type.ToString(), DetailWords.None, answer.Outcome switch
            {
                DnsOutcome.NoError => SiteText.Get("detail.dns.no_records"),
                DnsOutcome.NxDomain => SiteText.Get("detail.dns.no_such_name"),
                _ => SiteText.Get("twoway.no_answer"),
            }));
        }
        // NOERROR and NXDOMAIN are answers; anything else failed, and the error says how.
        var failed = answer.Outcome is not (DnsOutcome.NoError or DnsOutcome.NxDomain);
        var status = DnsStatus.Of(answer) + (failed && answer.Error is { Length: > 0 } error ? $": {error}" : "");
        return new DnsQuery($"{answer.Type} {answer.QueryName}", rows, status, failed, answer.NameServer ?? DetailWords.None, DetailWords.Duration(answer.Elapsed));
    }

    /// <summary>The record's data as dig shows it; SRV as "priority weight port target".</summary>
    private static string Data(DnsRecord record) => record switch
    {
        AddressRecord a => a.Address.ToString(),
        SrvRecord s => string.Create(CultureInfo.InvariantCulture, $"{s.Priority} {s.Weight} {s.Port} {s.Target}"),
        CnameRecord c => c.Target,
        _ => DetailWords.None,
    };
}
