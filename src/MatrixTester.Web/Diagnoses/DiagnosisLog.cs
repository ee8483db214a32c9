namespace MatrixTester.Web.Diagnoses;

// Diagnosis messages; event ids 2-3.
internal static partial class Log
{
    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Diagnosis of {ServerName}: {Verdict} (federationOk={FederationOk}) in {DurationMs:0} ms, result {ResultId}")]
    public static partial void Diagnosis(ILogger logger, string serverName, string verdict, bool federationOk, double durationMs, string resultId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Diagnosis of {ServerName} cancelled by the client after {DurationMs:0} ms")]
    public static partial void DiagnosisCancelled(ILogger logger, string serverName, double durationMs);
}
