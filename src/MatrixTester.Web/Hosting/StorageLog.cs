namespace MatrixTester.Web.Hosting;

// Storage and metrics messages; event ids 20-29 (Logging.cs holds the site's others).
internal static partial class Log
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Result store ready: PostgreSQL {Host}/{Database}, schema version {Version}")]
    public static partial void PostgresStoreReady(ILogger logger, string host, string database, int version);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Deleted {Count} results older than {RetentionDays} days")]
    public static partial void ExpiredResultsDeleted(ILogger logger, int count, int retentionDays);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Result store maintenance failed; retrying later")]
    public static partial void StoreMaintenanceFailed(ILogger logger, Exception exception);
}
