using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// The calls verdict from what the readiness checks saw. Offered means current clients or older ones can find call
/// infrastructure: a transports endpoint that exists (even one that needs a token) or lists transports, or the client
/// well-known's rtc_foci. Offered, an error makes it Broken, a warning Partial, nothing Ready.
/// </summary>
public static class RtcReadiness
{
    public static bool OfferedByEndpoint(IReadOnlyList<TransportsEndpointProbe> probes, IReadOnlyList<RtcTransport> transports)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(transports);
        return probes.Any(p => p.Outcome == TransportsEndpointOutcome.NeedsToken) ||
            transports.Any(t => t.Source == RtcTransportSource.TransportsEndpoint);
    }

    public static MatrixRtcStatus Decide(bool offered, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return !offered ? MatrixRtcStatus.NotOffered
            : findings.Any(f => f.Severity == Severity.Error) ? MatrixRtcStatus.Broken
            : findings.Any(f => f.Severity == Severity.Warning) ? MatrixRtcStatus.Partial
            : MatrixRtcStatus.Ready;
    }

    /// <summary>One line: the verdict, where clients find the transports, and how the authorization services fared.</summary>
    public static string Summary(MatrixRtcStatus status, bool offeredByEndpoint, IReadOnlyList<TransportsEndpointProbe> probes, IReadOnlyList<RtcServiceCheck> services)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(services);
        if (status == MatrixRtcStatus.NotOffered)
        {
            return "Calls: this server publishes no call infrastructure (no transports endpoint, no rtc_foci in the client well-known)";
        }
        var lead = status switch
        {
            MatrixRtcStatus.Ready => "Calls are ready",
            MatrixRtcStatus.Partial => "Calls work partly",
            _ => "Calls are broken",
        };
        var found = !offeredByEndpoint ? "only the client well-known lists the call transports (older clients)"
            : probes.Any(p => p.Outcome == TransportsEndpointOutcome.Listed) ? "the transports endpoint lists the call transports"
            : "the transports endpoint exists (it lists transports to signed-in users only)";
        var usable = services.Count(s => s.Problem is null);
        var checkedText = services.Count switch
        {
            0 => "no authorization service URL could be read without a signed-in user, so none was checked",
            1 => usable == 1 ? $"the authorization service at {services[0].Url} answers" : $"the authorization service at {services[0].Url} has a problem",
            _ => $"{usable} of {services.Count} authorization services answer as they should",
        };
        return $"{lead}: {found}; {checkedText}";
    }
}
