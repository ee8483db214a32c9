using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Reports;

internal static class VerdictRules
{
    /// <summary>
    /// Two answers to "does federation work". <see cref="VerdictStatus"/> is what a real peer (Synapse first, then
    /// the spec) does: an error finding means peers fail. <see cref="Verdict.FederationOk"/> is the reference
    /// tester's rule (README, "The compatible report"): besides no error, every address must pass every Go check — no
    /// <c>ConnectionErrors</c> entry, <c>AllChecksOK</c> on every <c>ConnectionReports</c> entry — so it is never
    /// true while the Go-compatible report shows a failed check. Per family: does every address of that family pass.
    /// </summary>
    public static Verdict Decide(DiscoveryResult? discovery, IReadOnlyList<ConnectionReport> connections, IReadOnlyList<Finding> findings, bool timedOut)
    {
        var endpoints = discovery?.Endpoints ?? [];
        var checkedAll = endpoints.Count > 0 && connections.Count == endpoints.Count;
        // Only federation findings (and a failure of the test itself) decide: client files and the two-way check
        // have verdicts of their own (FindingParts).
        var errors = findings.Count(f => f.Severity == Severity.Error && f.PartOf() == ReportPart.Federation);
        var peersOk = checkedAll && !timedOut && connections.All(c => c.Passed) && errors == 0 &&
            !findings.Any(f => f.Severity == Severity.Error && f.PartOf() == ReportPart.Run);
        var federationOk = peersOk && connections.All(PassesGoChecks) && !(discovery?.WellKnown.Attempts.Any(GoRejects) ?? false);
        bool? Family(bool v6)
        {
            var family = connections.Where(c => c.Endpoint.IsIPv6 == v6).ToList();
            return family.Count == 0 ? null : family.All(c => c.Passed);
        }
        var ipv4 = Family(false);
        var ipv6 = Family(true);
        var warnings = findings.Count(f => f.Severity == Severity.Warning && f.PartOf() == ReportPart.Federation);
        var status = peersOk ? (warnings > 0 ? VerdictStatus.WorksWithWarnings : VerdictStatus.Works) : VerdictStatus.Broken;
        var summary = status switch
        {
            VerdictStatus.Works => "Federation works.",
            VerdictStatus.WorksWithWarnings => $"Federation works, with {warnings} warning{(warnings == 1 ? "" : "s")}.",
            // Not checked is not failed: a run cut short says so, whatever it had not reached yet.
            _ when timedOut => "The test stopped at its time limit before it finished: the result is incomplete.",
            _ when endpoints.Count == 0 => "Federation is broken: other servers cannot find an address for this server.",
            _ when connections.Count == 0 => $"Federation could not be checked: {errors} error{(errors == 1 ? "" : "s")} during discovery.",
            _ when ipv4 == true && ipv6 == false => "IPv4 works, IPv6 is broken: servers that prefer IPv6 will fail or be slow to reach you.",
            _ when ipv6 == true && ipv4 == false => "IPv6 works, IPv4 is broken: IPv4-only servers cannot reach you.",
            _ => $"Federation is broken: {errors} error{(errors == 1 ? "" : "s")}.",
        };
        return new Verdict(status, federationOk, ipv4, ipv6, summary);
    }

    /// <summary>The reference tester's per-address rule: a key response it could read, and <c>AllChecksOK</c>.</summary>
    public static bool PassesGoChecks(ConnectionReport connection) =>
        connection is { ConnectionError: null, Keys: { IsKeyResponse: true, AllChecksOK: true }, Tls.Certificates.ValidCertificates: true };

    /// <summary>gomatrixserverlib validates m.server strictly (ASCII server-name grammar) and stops with an Error.</summary>
    public static bool GoRejects(WellKnownAttempt attempt) => attempt.Outcome is WellKnownOutcome.InvalidMServer or WellKnownOutcome.NonAsciiMServer;
}
