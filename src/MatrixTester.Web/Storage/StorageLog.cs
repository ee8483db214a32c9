namespace MatrixTester.Web.Storage;

// Storage messages; event ids 4 and 20-29.
internal static partial class Log
{
    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Database ready: {Database}, schema versions {Versions}")]
    public static partial void DatabaseReady(ILogger logger, string database, IReadOnlyList<string> versions);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Deleted {Count} results older than {RetentionDays} days")]
    public static partial void ExpiredResultsDeleted(ILogger logger, int count, int retentionDays);
}

// Store outages; event ids 23-29.
internal static partial class Log
{
    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Result store unavailable ({Access} failed: {ErrorType}: {Error}). Diagnoses go on without permalinks; stored results that cannot be read answer 503; trying again every {BreakSeconds} s")]
    public static partial void StoreOutageStarted(ILogger logger, string access, string errorType, string error, double breakSeconds);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Result store available again after {OutageSeconds:0} s; permalinks are saved again")]
    public static partial void StoreOutageEnded(ILogger logger, double outageSeconds);
}
