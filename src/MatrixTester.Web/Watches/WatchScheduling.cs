using System.Data.Common;
using MatrixTester.Web.Storage;
using Quartz;

namespace MatrixTester.Web.Watches;

/// <summary>
/// Creates the watch and scheduler tables, then starts Quartz. In the background and retried, like the result
/// store's maintenance, so the site comes up (and diagnoses work) while the database is unreachable.
/// </summary>
public sealed class WatchScheduling(StoreDatabase database, ISchedulerFactory factory, WatchSchedule schedule, TimeProvider time, ILogger<WatchScheduling> logger) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);
    private IScheduler? _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await database.MigrateAsync(stoppingToken);
                var scheduler = await factory.GetScheduler(stoppingToken);
                await scheduler.Start(stoppingToken);
                Volatile.Write(ref _started, scheduler);
                await schedule.EnsureAllAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (e is DbException or TimeoutException or SchedulerException)
            {
                WatchLog.SchedulerStartFailed(logger, e);
            }
            await Task.Delay(Retry, time, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Only a scheduler this service started: asking the factory now would build one while the host goes down.
        if (Volatile.Read(ref _started) is not { } scheduler)
        {
            return;
        }
        try
        {
            // A check in progress finishes its alerts; Quartz's default would abandon them mid-send.
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }
        catch (Exception e) when (e is DbException or SchedulerException)
        {
            WatchLog.SchedulerStartFailed(logger, e);
        }
    }
}

/// <summary>One Quartz job per watched server name, repeating every Monitoring:Interval.</summary>
public sealed class WatchSchedule(ISchedulerFactory factory, WatchStore store, Microsoft.Extensions.Options.IOptions<MonitoringOptions> options, TimeProvider time, ILogger<WatchSchedule> logger)
{
    public const string Group = "watch-checks";
    public const string ServerNameKey = "server_name";

    public static JobKey Key(string serverName) => new(serverName, Group);

    /// <summary>Schedules the server name's checks unless they are scheduled already (by any instance).</summary>
    public async Task EnsureAsync(string serverName, CancellationToken cancellationToken)
    {
        try
        {
            await ScheduleAsync(serverName, cancellationToken);
        }
        catch (SchedulerException e)
        {
            // The database is unreachable (or the scheduler not started yet): the watch is stored, and
            // WatchScheduling schedules every stored watch once the scheduler runs.
            WatchLog.ScheduleFailed(logger, serverName, e);
        }
    }

    private async Task ScheduleAsync(string serverName, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        if (await scheduler.Exists(Key(serverName), cancellationToken))
        {
            return;
        }
        var interval = options.Value.Interval;
        var job = JobBuilder.Create<WatchCheckJob>().WithIdentity(Key(serverName)).UsingJobData(ServerNameKey, serverName).Build();
        var trigger = TriggerBuilder.Create().WithIdentity(serverName, Group).ForJob(job)
            .StartAt(time.GetUtcNow() + interval)
            // After downtime: one check now, then the normal rhythm; not one per missed interval.
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another instance scheduled it at the same moment: that is the outcome we wanted.
        }
    }

    /// <summary>At start: every confirmed watch has its schedule (a database restored from backup, say).</summary>
    public async Task EnsureAllAsync(CancellationToken cancellationToken)
    {
        foreach (var name in await store.WatchedServerNamesAsync(cancellationToken))
        {
            await ScheduleAsync(name, cancellationToken);
        }
    }

    public async Task RemoveAsync(string serverName, CancellationToken cancellationToken) =>
        await (await factory.GetScheduler(cancellationToken)).DeleteJob(Key(serverName), cancellationToken);
}
