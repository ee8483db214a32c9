using MatrixTester.Diagnostics.Discovery;

namespace MatrixTester.Diagnostics.Reports;

internal static class VerdictRules
{
    /// <summary>
    /// FederationOK as the reference tester computes it: at least one address, and every address passes every check
    /// (go-report-format.md §2). Per family: does every address of that family pass.
    /// </summary>
    public static Verdict Decide(DiscoveryResult? discovery, IReadOnlyList<ConnectionReport> connections, IReadOnlyList<Finding> findings, bool timedOut)
    {
        var endpoints = discovery?.Endpoints ?? [];
        var checkedAll = endpoints.Count > 0 && connections.Count == endpoints.Count;
        // Client and support files never change the federation verdict.
        var federationOk = checkedAll && !timedOut && connections.All(c => c.Passed) &&
            findings.All(f => f.Severity != Severity.Error || IsClientSide(f));
        bool? Family(bool v6)
        {
            var family = connections.Where(c => c.Endpoint.IsIPv6 == v6).ToList();
            return family.Count == 0 ? null : family.All(c => c.Passed);
        }
        var ipv4 = Family(false);
        var ipv6 = Family(true);
        var errors = findings.Count(f => f.Severity == Severity.Error && !IsClientSide(f));
        // For the "works with warnings" wording, client-side errors count as warnings: federation itself works.
        var warnings = findings.Count(f => f.Severity == Severity.Warning || (f.Severity == Severity.Error && IsClientSide(f)));
        var status = federationOk ? (warnings > 0 ? VerdictStatus.WorksWithWarnings : VerdictStatus.Works) : VerdictStatus.Broken;
        var summary = status switch
        {
            VerdictStatus.Works => "Federation works.",
            VerdictStatus.WorksWithWarnings => $"Federation works, with {warnings} warning{(warnings == 1 ? "" : "s")}.",
            _ when endpoints.Count == 0 => "Federation is broken: other servers cannot find an address for this server.",
            _ when connections.Count == 0 => $"Federation could not be checked: {errors} error{(errors == 1 ? "" : "s")} during discovery.",
            _ when ipv4 == true && ipv6 == false => "IPv4 works, IPv6 is broken: servers that prefer IPv6 will fail or be slow to reach you.",
            _ when ipv6 == true && ipv4 == false => "IPv6 works, IPv4 is broken: IPv4-only servers cannot reach you.",
            _ => $"Federation is broken: {errors} error{(errors == 1 ? "" : "s")}.",
        };
        return new Verdict(status, federationOk, ipv4, ipv6, summary);
    }

    public static bool IsClientSide(Finding finding) =>
        finding.Id.StartsWith("client.", StringComparison.Ordinal) || finding.Id.StartsWith("support.", StringComparison.Ordinal);
}
