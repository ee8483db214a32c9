using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>
/// SRV discovery for one host (spec steps 3.3/3.4 for a delegated host, 4/5 for the server name). Both record
/// names are asked at once, so the deprecated fallback costs no extra round trip; targets are resolved in parallel.
/// </summary>
internal static class SrvStage
{
    public const string MatrixFedPrefix = "_matrix-fed._tcp.";
    public const string DeprecatedPrefix = "_matrix._tcp.";

    public static async Task<SrvResult> RunAsync(DiagnosisContext context, string host, string role, CancellationToken cancellationToken)
    {
        var fedTask = context.QueryAsync(MatrixFedPrefix + host, DnsRecordType.SRV, $"SRV of {role}", cancellationToken);
        var oldTask = context.QueryAsync(DeprecatedPrefix + host, DnsRecordType.SRV, $"deprecated SRV of {role}", cancellationToken);
        var fed = await fedTask;
        var old = await oldTask;
        var findings = new List<Finding>();

        DnsAnswer chosen;
        SrvSource source;
        if (fed.SrvRecords.Any())
        {
            (chosen, source) = (fed, SrvSource.MatrixFed);
            if (old.SrvRecords.Any())
            {
                findings.Add(SrvFindings.DeprecatedIgnored.Create($"_matrix._tcp.{host} exists but is ignored because _matrix-fed._tcp.{host} exists",
                    "Homeservers use the deprecated record only when no _matrix-fed._tcp record exists.", host));
            }
        }
        else if (old.SrvRecords.Any() && !Failed(fed))
        {
            (chosen, source) = (old, SrvSource.Deprecated);
            findings.Add(SrvFindings.DeprecatedOnly.Create($"{host} is found only through the deprecated _matrix._tcp SRV record",
                $"_matrix-fed._tcp.{host} has no records ({DnsStatus.Of(fed)}); _matrix._tcp.{host} points to {string.Join(", ", old.SrvRecords.Select(r => $"{r.Target}:{r.Port}"))}.", host));
        }
        else
        {
            foreach (var failed in new[] { fed, old }.Where(Failed))
            {
                findings.Add(SrvFindings.LookupFailed.Create($"SRV lookup {failed.QueryName} failed: {DnsStatus.Of(failed)}",
                    HostAddresses.LookupFailure(failed, host, Severity.Error).Detail + " Synapse treats this as a failure to resolve the server rather than falling back to port 8448.", host));
            }
            return new SrvResult(host, fed, old, SrvSource.None, [], findings);
        }

        var records = chosen.SrvRecords.ToList();
        if (records.Count == 1 && records[0].Target == ".")
        {
            findings.Add(SrvFindings.NotOffered.Create($"{chosen.QueryName} has target \".\": federation is explicitly not offered",
                "RFC 2782: a single SRV record with target \".\" means the service is decidedly not available at this domain. Homeservers stop here.", host));
            return new SrvResult(host, fed, old, SrvSource.NotOffered, [], findings);
        }
        records = records.Where(r => r.Target != ".").OrderBy(r => r.Priority).ThenByDescending(r => r.Weight).ThenBy(r => r.Target, StringComparer.Ordinal).ToList();
        if (records.Count > context.Options.MaxSrvRecords)
        {
            findings.Add(SrvFindings.TooMany.Create($"{chosen.QueryName} has {records.Count} records; the first {context.Options.MaxSrvRecords} were checked",
                "Records are ordered by priority, then weight.", host));
            records = records.Take(context.Options.MaxSrvRecords).ToList();
        }

        var targets = await Task.WhenAll(records.Select(async r =>
        {
            if (System.Net.IPAddress.TryParse(r.Target.TrimEnd('.'), out var literal))
            {
                // Synapse hands the target to the system resolver, which returns an IP literal as itself.
                return (Target: new SrvTarget(r, null, null, literal), Addresses: (HostAddresses?)null);
            }
            var addresses = await HostAddresses.ResolveAsync(context, r.Target, $"addresses of SRV target {r.Target}", cancellationToken);
            return (Target: new SrvTarget(r, addresses.V6, addresses.V4), Addresses: addresses);
        }));
        // Peers try the targets in order and use the first that connects: a dead name is fatal only when none resolves.
        var anyResolves = targets.Any(t => t.Target.Addresses.Any());
        foreach (var (target, addresses) in targets)
        {
            if (addresses is null)
            {
                findings.Add(SrvFindings.TargetIsIpLiteral.Create($"SRV target {target.Record.Target} is an IP address, not a host name",
                    $"{chosen.QueryName} points to {target.Record.Target}. RFC 2782 wants a domain name with A/AAAA records there; Synapse connects to the address anyway, so the tester does too.", target.Record.Target));
                continue;
            }
            if (target.TargetIsCname)
            {
                var chain = addresses.V4.CnameChain.Count > 0 ? addresses.V4.CnameChain : addresses.V6.CnameChain;
                findings.Add(SrvFindings.TargetIsCname.Create($"SRV target {target.Record.Target} is an alias (CNAME) of {chain[^1]}",
                    $"{chosen.QueryName} points to {target.Record.Target}, which is a CNAME. RFC 2782 says SRV targets must not be aliases; Synapse and gomatrixserverlib follow it anyway.", target.Record.Target));
            }
            if (addresses.Addresses.Count == 0 && anyResolves)
            {
                findings.Add(SrvFindings.TargetSkipped.Create($"SRV target {target.Record.Target} has no address; other servers skip it and use the next target",
                    string.Join(" ", addresses.Findings.Select(f => f.Detail)), target.Record.Target));
            }
            else if (addresses.Addresses.Count == 0)
            {
                findings.Add(SrvFindings.TargetUnresolvable.Create($"SRV target {target.Record.Target} has no address",
                    string.Join(" ", addresses.Findings.Select(f => f.Detail)), target.Record.Target));
            }
            else
            {
                findings.AddRange(addresses.Findings.Where(f => f.Id != DnsFindings.Cname.Id));
            }
        }
        return new SrvResult(host, fed, old, source, targets.Select(t => t.Target).ToArray(), findings);
    }

    /// <summary>A failure that stops a homeserver (not NXDOMAIN or NODATA, which just mean "no record").</summary>
    private static bool Failed(DnsAnswer answer) => answer.Outcome is not (DnsOutcome.NoError or DnsOutcome.NxDomain);
}
