using MatrixTester.Web.Diagnoses;

namespace MatrixTester.Web.Watches;

/// <summary>
/// A scheduled check: the diagnosis goes through <see cref="SharedDiagnoses"/> exactly as <c>/api/v2/report</c>
/// does (the same slots and queue, sharing a run already in flight, reusing a result inside the reuse window), so a
/// scheduled check costs what a visitor's does and is stored as a normal result. Then the alert rules run.
/// </summary>
public sealed class MonitorCheck(WatchStore watches, SharedDiagnoses shared, AlertRules rules, AlertSender sender, ILogger<MonitorCheck> logger)
{
    /// <summary>False when nobody watches the name any more (the caller stops the schedule).</summary>
    public async Task<bool> RunAsync(string serverName, DateTimeOffset scheduledFor, string instance, CancellationToken cancellationToken)
    {
        var active = await watches.ActiveAsync(serverName, cancellationToken);
        if (active.Count == 0)
        {
            return false;
        }
        var admission = shared.Join(serverName, fresh: false);
        if (admission.Run is not { } run)
        {
            // Every slot and the queue are taken by visitors: they come first; the next interval tries again.
            WatchLog.ScheduledCheckBusy(logger, serverName, scheduledFor);
            return true;
        }
        var finished = await run.Completion.WaitAsync(cancellationToken);
        WatchLog.ScheduledCheck(logger, serverName, scheduledFor, instance, finished.Stored.Id, finished.Stored.Verdict);
        if (await rules.EvaluateAsync(serverName, finished, cancellationToken) is { } alert)
        {
            await sender.SendAsync(alert, active, cancellationToken);
        }
        return true;
    }
}
