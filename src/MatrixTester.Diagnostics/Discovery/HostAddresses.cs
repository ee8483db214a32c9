using System.Net;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>The AAAA and A answers for one host, the usable addresses (capped), and what went wrong.</summary>
internal sealed record HostAddresses(string Host, DnsAnswer V6, DnsAnswer V4, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<Finding> Findings)
{
    /// <summary>How many of a host's addresses a finding lists before "…".</summary>
    private const int MaxListedAddresses = 20;

    /// <summary>Look up AAAA and A together ("CNAME, AAAA or A" in the spec) and explain failures.</summary>
    public static async Task<HostAddresses> ResolveAsync(DiagnosisContext context, string host, string purpose, CancellationToken cancellationToken)
    {
        var v6Task = context.QueryAsync(host, DnsRecordType.AAAA, purpose, cancellationToken);
        var v4Task = context.QueryAsync(host, DnsRecordType.A, purpose, cancellationToken);
        var v6 = await v6Task;
        var v4 = await v4Task;
        return Explain(context.Options, host, v6, v4);
    }

    /// <summary>The same lookup for the HTTPS fetcher (redirect targets, the client files' host): the addresses, or the first finding's summary.</summary>
    public static async Task<ResolvedHost> ResolveForFetchAsync(DiagnosisContext context, string host, string purpose, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context, host, purpose, cancellationToken);
        return new ResolvedHost(addresses.Addresses, addresses.Findings.Count > 0 ? addresses.Findings[0].Summary : null);
    }

    public static HostAddresses Explain(DiagnosisOptions options, string host, DnsAnswer v6, DnsAnswer v4)
    {
        var findings = new List<Finding>();
        var all = v6.Addresses.Concat(v4.Addresses).Distinct().ToList();
        var limit = options.MaxAddressesPerHost;
        if (all.Count > limit)
        {
            findings.Add(DnsFindings.TooManyAddresses.Create(
                $"{host} has {all.Count} addresses; the first {limit} were checked",
                $"Addresses found: {string.Join(", ", all.Take(MaxListedAddresses))}{(all.Count > MaxListedAddresses ? ", …" : "")}.", host));
            // Keep both families represented when capping.
            all = v6.Addresses.Take((limit + 1) / 2).Concat(v4.Addresses).Take(limit).ToList();
        }
        var chain = v4.CnameChain.Count > 0 ? v4.CnameChain : v6.CnameChain;
        if (chain.Count > 0)
        {
            findings.Add(DnsFindings.Cname.Create($"{host} is an alias for {chain[^1]}",
                $"CNAME chain: {host} → {string.Join(" → ", chain)}.", host));
        }
        if (all.Count == 0)
        {
            findings.Add(ExplainEmpty(host, v6, v4));
        }
        else
        {
            // One family failing while the other works is worth knowing, but the host does resolve.
            foreach (var failed in new[] { v6, v4 }.Where(a => a.Outcome is not (DnsOutcome.NoError or DnsOutcome.NxDomain)))
            {
                findings.Add(LookupFailure(failed, host, Severity.Warning));
            }
        }
        return new HostAddresses(host, v6, v4, all, findings);
    }

    private static Finding ExplainEmpty(string host, DnsAnswer v6, DnsAnswer v4)
    {
        if (v4.Outcome == DnsOutcome.NxDomain && v6.Outcome is DnsOutcome.NxDomain or DnsOutcome.NoError)
        {
            return DnsFindings.NxDomain.Create(Phrase.Of("dns.nxdomain.Summary", ("host", host)),
                v4.NameServer is { } asked
                    ? Phrase.Of("dns.nxdomain.Detail", ("host", host), ("server", asked))
                    : Phrase.Of("dns.nxdomain.Detail.configured", ("host", host)), host);
        }
        var failed = new[] { v4, v6 }.FirstOrDefault(a => a.Outcome is not (DnsOutcome.NoError or DnsOutcome.NxDomain));
        if (failed is not null)
        {
            return LookupFailure(failed, host, Severity.Error);
        }
        return DnsFindings.NoAddresses.Create(Phrase.Of("dns.no_addresses.Summary", ("host", host)), new Phrase("dns.no_addresses.Detail"), host);
    }

    public static Finding LookupFailure(DnsAnswer answer, string subject, Severity severity)
    {
        var what = answer.Outcome switch
        {
            DnsOutcome.ServFail => "SERVFAIL (the name server could not answer: often broken DNSSEC or an unreachable authoritative server)",
            DnsOutcome.Refused => "REFUSED (the name server will not answer for this name)",
            DnsOutcome.Timeout => "no answer in time",
            DnsOutcome.NetworkError => "the name server could not be reached",
            DnsOutcome.MalformedResponse => "a malformed response",
            DnsOutcome.CnameLoop => "a CNAME loop",
            DnsOutcome.NoNameServers => "no name server configured for the tester",
            _ => DnsStatus.Rcode(answer.Rcode),
        };
        var definition = answer.Outcome switch
        {
            DnsOutcome.ServFail => DnsFindings.ServFail,
            DnsOutcome.Refused => DnsFindings.Refused,
            DnsOutcome.Timeout => DnsFindings.Timeout,
            _ => DnsFindings.LookupFailed,
        };
        var finding = definition.Create($"{answer.Type} lookup for {answer.QueryName} failed: {DnsStatus.Of(answer)}",
            $"Asking {answer.NameServer ?? "the name server"} for {answer.Type} {answer.QueryName} gave {what}.{(answer.Error is { } e ? " " + e : "")}", subject);
        return finding with { Severity = severity };
    }
}
