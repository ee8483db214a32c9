using MatrixTester.Diagnostics.Discovery;

namespace MatrixTester.Web.ReportViews;

/// <summary>What one address of the server name answered on /.well-known/matrix/server.</summary>
public sealed record WellKnownRow(string Address, string Answer, string? Problem, bool Usable);

/// <summary>One place peers connect to, with everything that differs by discovery step.</summary>
public sealed record EndpointRow(string Key, string HostHeader, string TlsName, string Step, string? SrvTarget);

/// <summary>The delegation and the endpoints of a discovery, as rows.</summary>
public static class DiscoveryTables
{
    /// <summary>Null when the well-known was not fetched (an IP literal or an explicit port).</summary>
    public static string? WellKnownSummary(WellKnownResult wellKnown)
    {
        ArgumentNullException.ThrowIfNull(wellKnown);
        return wellKnown.Outcome switch
        {
            WellKnownOutcome.NotApplicable => null,
            WellKnownOutcome.Delegated => SiteText.Format("detail.wk.delegated", wellKnown.MServer, Hours(wellKnown.CacheTtl)),
            WellKnownOutcome.NotFound => SiteText.Get("detail.wk.not_found"),
            var outcome => SiteText.Format("detail.wk.unusable", outcome.Words()),
        };
    }

    public static IReadOnlyList<WellKnownRow> WellKnown(WellKnownResult wellKnown)
    {
        ArgumentNullException.ThrowIfNull(wellKnown);
        return [.. wellKnown.Attempts.Select(a => new WellKnownRow(a.Address.ToString(),
            a.Outcome == WellKnownOutcome.Delegated ? $"m.server: {a.MServer}" : a.Outcome.Describe(), a.Problem,
            a.Outcome is WellKnownOutcome.Delegated or WellKnownOutcome.NotFound))];
    }

    public static IReadOnlyList<EndpointRow> Endpoints(DiscoveryResult discovery)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        return [.. discovery.Endpoints.Select(e => new EndpointRow(e.Key, e.HostHeader, e.TlsName, $"{e.StepNumber}: {e.Step.Words()}", e.SrvTarget))];
    }

    private static string Hours(TimeSpan ttl) => ttl.TotalHours >= 1
        ? DetailWords.Count((int)Math.Round(ttl.TotalHours), "count.hour")
        : DetailWords.Count((int)Math.Round(ttl.TotalMinutes), "count.minute");
}
