using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Watches;

/// <summary>
/// A scheduled check: the diagnosis goes through <see cref="DiagnosisAdmission"/> exactly as <c>/api/v2/report</c>
/// does (the same slots and queue, within the scheduled checks' own fair share, sharing a run already in flight,
/// reusing a result inside the reuse window), so a
/// scheduled check costs what a visitor's does and is stored as a normal result, marked as a scheduled check for the name's uptime. Then the alert rules run. While the
/// store is down the check is skipped: alerts compare stored results and link a permalink, and neither exists then.
/// </summary>
public sealed class MonitorCheck(WatchStore watches, DiagnosisAdmission admission, StoreAvailability store, UptimeStore uptime, AlertRules rules, AlertSender sender, ILogger<MonitorCheck> logger)
{
    /// <summary>False when nobody watches the name any more (the caller stops the schedule).</summary>
    public async Task<bool> RunAsync(string serverName, DateTimeOffset scheduledFor, string instance, CancellationToken cancellationToken)
    {
        if (!store.IsAvailable)
        {
            WatchLog.ScheduledCheckStoreDown(logger, serverName, scheduledFor);
            return true;
        }
        var active = await watches.ActiveAsync(serverName, cancellationToken);
        if (active.Count == 0)
        {
            return false;
        }
        var admitted = admission.Admit(serverName, fresh: false, DiagnosisClient.ScheduledChecks);
        if (admitted.IsInvalid)
        {
            return false; // a watch is only created for a valid name; nothing to schedule
        }
        if (admitted.IsBusy)
        {
            // Every slot and the queue are taken by visitors: they come first; the next interval tries again.
            WatchLog.ScheduledCheckBusy(logger, serverName, scheduledFor);
            return true;
        }
        var finished = await admitted.FinishedAsync(cancellationToken);
        if (!finished.Saved)
        {
            WatchLog.ScheduledCheckStoreDown(logger, serverName, scheduledFor);
            return true;
        }
        // The result counts for the name's uptime, whether this check ran it or reused a visitor's from moments ago.
        await uptime.MarkScheduledAsync(finished.Result.Id, cancellationToken);
        WatchLog.ScheduledCheck(logger, serverName, scheduledFor, instance, finished.Result.Id, finished.Result.Verdict);
        if (await rules.EvaluateAsync(serverName, finished, cancellationToken) is { } alert)
        {
            await sender.SendAsync(alert, active, cancellationToken);
        }
        return true;
    }
}
