using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// SRV targets as peers use them: they try the targets in priority and weight order and use the first that
/// connects (Synapse's <c>_do_connect</c>). A target that refuses, is unreachable or does not answer the TCP
/// connection while another target passes therefore costs peers a retry, not federation: its error becomes a
/// warning that names where peers go instead. The Go-compatible report keeps its <c>ConnectionErrors</c> entry.
/// </summary>
internal static class SrvFallback
{
    public static IReadOnlyList<ConnectionReport> Apply(IReadOnlyList<ConnectionReport> connections)
    {
        var working = connections.Where(c => IsSrv(c.Endpoint) && c.Passed).ToList();
        if (working.Count == 0)
        {
            return connections;
        }
        var fallback = $"{working[0].Endpoint.SrvTarget} ({working[0].Endpoint.Key})";
        return connections.Select(c => IsSrv(c.Endpoint) && NotConnected(c) ? Demote(c, fallback) : c).ToArray();
    }

    private static ConnectionReport Demote(ConnectionReport connection, string fallback)
    {
        var key = connection.Endpoint.Key;
        var errors = connection.Findings.Where(f => f.Severity == Severity.Error).ToList();
        var warning = SrvFindings.TargetUnreachable.Create(
            $"SRV target {connection.Endpoint.SrvTarget} ({key}) cannot be reached; other servers fall back to {fallback}",
            string.Join(" ", errors.Select(e => $"{e.Summary.TrimEnd('.')}: {e.Detail}")) +
            " Homeservers try the SRV targets in order and use the first that connects, so this costs them a failed attempt, not federation.", key);
        return connection with { Findings = [.. connection.Findings.Except(errors), warning] };
    }

    private static bool IsSrv(ResolvedEndpoint endpoint) => endpoint.SrvTarget is not null;

    /// <summary>The TCP connection itself failed (nothing was negotiated, nothing was sent).</summary>
    private static bool NotConnected(ConnectionReport connection) =>
        connection is { Tls: null, Requests: [{ Failure: ExchangeFailure.ConnectRefused or ExchangeFailure.ConnectTimeout or ExchangeFailure.Unreachable or ExchangeFailure.ConnectFailed }, ..] };
}
