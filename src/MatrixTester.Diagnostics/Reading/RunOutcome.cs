using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>How the test itself went, before anything is said about the server.</summary>
public enum RunOutcome
{
    /// <summary>Every step ran to its end.</summary>
    Complete,

    /// <summary>The overall time limit stopped the test: what it had not reached is not checked, not failed.</summary>
    TimedOut,

    /// <summary>The tester itself failed part way (a defect of ours, never of the server).</summary>
    Failed,

    /// <summary>The input is not a server name, so nothing was checked.</summary>
    InvalidInput,
}

/// <summary>What a test cut short had not finished.</summary>
public enum PendingKind
{
    /// <summary>Server discovery (.well-known, SRV, address lookups) had not chosen the addresses yet.</summary>
    Discovery,

    /// <summary>The checks of one address (TLS, version, keys) had not finished.</summary>
    Address,

    /// <summary>The client files (client well-known, its base_url, the support file) had not been read.</summary>
    ClientFiles,
}

/// <summary>One step still open when the test stopped; <see cref="Subject"/> is the server name, an address or a host.</summary>
public sealed record PendingStep(PendingKind Kind, string Subject);

internal static class RunRules
{
    public static RunOutcome Of(DiagnosisReport report) =>
        report.ServerName is null ? RunOutcome.InvalidInput
        : report.TimedOut ? RunOutcome.TimedOut
        : report.Findings.Any(f => f.Id == DiscoveryFindings.InternalError.Id) ? RunOutcome.Failed
        : RunOutcome.Complete;

    /// <summary>Read from what the report lacks: no discovery result, addresses without a connection report, no client files.</summary>
    public static IReadOnlyList<PendingStep> Pending(DiagnosisReport report, RunOutcome run)
    {
        if (run is not (RunOutcome.TimedOut or RunOutcome.Failed))
        {
            return [];
        }
        var name = report.ServerName ?? report.Input;
        var pending = new List<PendingStep>();
        if (report.Discovery is not { } discovery)
        {
            pending.Add(new PendingStep(PendingKind.Discovery, name));
        }
        else
        {
            var done = report.Connections.Select(c => c.Endpoint.Key).ToHashSet(StringComparer.Ordinal);
            pending.AddRange(discovery.Endpoints.Where(e => !done.Contains(e.Key)).Select(e => new PendingStep(PendingKind.Address, e.Key)));
        }
        if (report.Client is null || report.Client.Findings.Any(f => f.Id == ClientFindings.Timeout.Id))
        {
            pending.Add(new PendingStep(PendingKind.ClientFiles, name));
        }
        return pending;
    }
}
