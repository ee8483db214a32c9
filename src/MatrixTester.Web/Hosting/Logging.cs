using Serilog;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace MatrixTester.Web.Hosting;

public static class LoggingExtensions
{
    /// <summary>Serilog to the console; levels and overrides come from the <c>Serilog</c> configuration section.</summary>
    public static WebApplicationBuilder AddSerilogConsole(this WebApplicationBuilder builder)
    {
        // Defaults here, so a published app run from any directory logs sensibly; the Serilog section overrides them.
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Serilog.Events.LogEventLevel.Information)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }

    /// <summary>One line per request: method, path, status and duration (query strings stay out of the log).</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var time = app.ApplicationServices.GetRequiredService<TimeProvider>();
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("MatrixTester.Web.Requests");
        return app.Use(async (context, next) =>
        {
            var start = time.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var elapsedMs = time.GetElapsedTime(start).TotalMilliseconds;
                Log.Request(log, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, elapsedMs);
            }
        });
    }
}

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    public static partial void Request(ILogger logger, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Diagnosis of {ServerName}: {Verdict} (federationOk={FederationOk}) in {DurationMs:0} ms, result {ResultId}")]
    public static partial void Diagnosis(ILogger logger, string serverName, string verdict, bool federationOk, double durationMs, string resultId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Diagnosis of {ServerName} cancelled by the client after {DurationMs:0} ms")]
    public static partial void DiagnosisCancelled(ILogger logger, string serverName, double durationMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Result store ready at {Path}")]
    public static partial void StoreReady(ILogger logger, string path);
}
