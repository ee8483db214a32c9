using Quartz;

namespace MatrixTester.Web.Watches;

/// <summary>
/// One scheduled check of one watched server name. Clustered Quartz hands each firing to exactly one instance;
/// <see cref="DisallowConcurrentExecutionAttribute"/> keeps a slow check from overlapping the next one.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WatchCheckJob(MonitorCheck check, WatchSchedule schedule, ILogger<WatchCheckJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var serverName = context.MergedJobDataMap.GetString(WatchSchedule.ServerNameKey) ?? context.JobDetail.Key.Name;
        var scheduledFor = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        try
        {
            if (!await check.RunAsync(serverName, scheduledFor, context.Scheduler.SchedulerInstanceId, cancellationToken))
            {
                // Everybody unsubscribed: stop checking.
                await schedule.RemoveAsync(serverName, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database outage or a failed run: this check is lost, the next interval tries again. Thrown on to
            // Quartz, repeated failures would park the trigger in its ERROR state and end the checks for good.
            WatchLog.CheckFailed(logger, serverName, e);
        }
    }
}
