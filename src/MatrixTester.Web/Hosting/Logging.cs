using Serilog;
using Serilog.Events;

namespace MatrixTester.Web.Hosting;

public static class LoggingExtensions
{
    /// <summary>Serilog to the console; levels, overrides and extra sinks come from the <c>Serilog</c> configuration section.</summary>
    public static WebApplicationBuilder AddSiteLogging(this WebApplicationBuilder builder)
    {
        // preserveStaticLogger: the static Log stays untouched, so hosts side by side (as in the tests) keep their own.
        builder.Services.AddSerilog(preserveStaticLogger: true, configureLogger: (services, logger) => logger
            // Defaults here, so a published app run from any directory logs sensibly; the Serilog section overrides them.
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            // Quartz describes its whole configuration at Information when the scheduler starts (some 25 lines, which
            // buried "Now listening on"); its warnings and errors still show.
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Filter.ByExcluding(IsUnencryptedKeyNotice)
            .Enrich.With<VisibleLogValues>()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        return builder;
    }

    /// <summary>
    /// One line per request: method, path, status and duration. Never the query string: it carries the server names
    /// people test (and whatever else a client appends), which a request log has no business keeping.
    /// </summary>
    public static WebApplication UseSiteRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.IncludeQueryInRequestPath = false;
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, exception) => RequestLevel(context.Response.StatusCode, exception);
        });
        return app;
    }

    /// <summary>
    /// ASP.NET Core warns at each new data-protection key that it is stored unencrypted. That is the decision, not an
    /// accident: Linux has no machine key store, and the keys sit owner-only in the data directory beside the signing
    /// key (see <see cref="DataProtectionKeys"/>; docs/deployment.md says so). Only that one event is dropped; the key
    /// manager's other warnings (a damaged key file, say) still show.
    /// </summary>
    public static bool IsUnencryptedKeyNotice(LogEvent logEvent) =>
        logEvent is { Level: LogEventLevel.Warning } &&
        logEvent.Properties.TryGetValue("SourceContext", out var source) &&
        source is ScalarValue { Value: "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager" } &&
        logEvent.Properties.TryGetValue("EventId", out var eventId) &&
        eventId is StructureValue { Properties: var parts } &&
        parts.Any(part => part is { Name: "Id", Value: ScalarValue { Value: 35 } });

    /// <summary>
    /// A 503 is an answer the site gives on purpose (every slot busy, the store down on /healthz) and says so to the
    /// caller; logging it as an error would page someone for load. Other 5xx and exceptions are errors.
    /// </summary>
    public static LogEventLevel RequestLevel(int statusCode, Exception? exception) => (statusCode, exception) switch
    {
        (_, not null) => LogEventLevel.Error,
        (503, _) => LogEventLevel.Warning,
        ( >= 500, _) => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };
}
