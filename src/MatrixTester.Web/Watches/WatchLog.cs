namespace MatrixTester.Web.Watches;

internal static partial class WatchLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Scheduled check of {ServerName} (due {ScheduledFor:O}) on {Instance}: result {ResultId}, {Verdict}")]
    public static partial void ScheduledCheck(ILogger logger, string serverName, DateTimeOffset scheduledFor, string instance, string resultId, string verdict);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Scheduled check of {ServerName} (due {ScheduledFor}) skipped: every diagnosis slot and the queue are taken")]
    public static partial void ScheduledCheckBusy(ILogger logger, string serverName, DateTimeOffset scheduledFor);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "The scheduler could not start (retrying)")]
    public static partial void SchedulerStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Alert for {ServerName} sent to {Kind} watch {WatchId}: {Changes} change(s)")]
    public static partial void AlertSent(ILogger logger, string serverName, string kind, string watchId, int changes);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Alert for {ServerName} to {Kind} watch {WatchId} failed")]
    public static partial void AlertFailed(ILogger logger, string serverName, string kind, string watchId, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Webhook attempt {Attempt} to watch {WatchId} failed: {Reason}")]
    public static partial void WebhookAttemptFailed(ILogger logger, int attempt, string watchId, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Could not schedule checks of {ServerName} now; they are scheduled when the scheduler starts")]
    public static partial void ScheduleFailed(ILogger logger, string serverName, Exception exception);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Scheduled check of {ServerName} failed; the next interval tries again")]
    public static partial void CheckFailed(ILogger logger, string serverName, Exception exception);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Scheduled check of {ServerName} (due {ScheduledFor:O}) skipped: the result store is unavailable; the next interval tries again")]
    public static partial void ScheduledCheckStoreDown(ILogger logger, string serverName, DateTimeOffset scheduledFor);
}
