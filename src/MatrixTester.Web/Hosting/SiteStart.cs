using System.Runtime.ExceptionServices;
using MatrixTester.Web.Federation;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Hosting;

/// <summary>
/// A site that cannot start with its settings says so in one line and exits, before anything has started: no
/// background work racing a host that is going down, no stack trace for an operator to read through.
/// </summary>
public static partial class SiteStart
{
    /// <summary>The exit status of a start refused for its settings.</summary>
    public const int InvalidSettingsExitCode = 1;

    private static int _reporting;

    /// <summary>
    /// Every setting checked (the validated options, then the signing key, which is read or created now) before the
    /// host starts anything; a bad one throws <see cref="OptionsValidationException"/> or
    /// <see cref="InvalidSettingException"/>, out of Program, where <see cref="ReportInvalidSettings"/> turns it into
    /// one line.
    /// </summary>
    public static WebApplication CheckSettings(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (AggregateException all) when (all.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // A section that fails fails again for every section configured from it (Diagnosis, History and
            // Monitoring read Site): each failure once, and one section's own exception when it is the only one.
            var failures = all.InnerExceptions.Cast<OptionsValidationException>().DistinctBy(e => (e.OptionsType, e.Message)).ToArray();
            if (failures is [var one])
            {
                ExceptionDispatchInfo.Throw(one);
            }
            throw new AggregateException(failures);
        }
        FederationServices.CheckSigningKey(app.Services);
        return app;
    }

    /// <summary>
    /// When an invalid setting ends the process (it escapes Program unhandled), it prints one line on stderr,
    /// <c>MatrixTester cannot start: …</c>, and exits with <see cref="InvalidSettingsExitCode"/>, instead of the
    /// runtime's stack trace and abort. Any other unhandled exception is a bug and keeps its stack trace. (A host that
    /// runs Program itself, as the tests' factory does, catches the exception first and sees it unchanged.)
    /// </summary>
    public static void ReportInvalidSettings()
    {
        if (Interlocked.Exchange(ref _reporting, 1) == 1)
        {
            return;
        }
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (Describe(e.ExceptionObject as Exception) is { } line)
            {
                Console.Error.WriteLine(line);
                Environment.Exit(InvalidSettingsExitCode);
            }
        };
    }

    /// <summary>The one line for an invalid setting, or null when <paramref name="error"/> is something else.</summary>
    public static string? Describe(Exception? error) => Why(error) is { } why
        ? "MatrixTester cannot start: " + string.Join(' ', why.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        : null;

    private static string? Why(Exception? error) => error switch
    {
        OptionsValidationException invalid => string.Join(" ", invalid.Failures.Select(f => Plain(invalid.OptionsType, f))),
        InvalidSettingException invalid => invalid.Message,
        AggregateException all when all.InnerExceptions.All(e => Why(e) is not null) => string.Join(" ", all.InnerExceptions.Select(Why)),
        _ => null,
    };

    /// <summary>
    /// A data-annotation failure ("DataAnnotation validation failed for 'SiteOptions' members: 'MaxInputLength' with
    /// the error: '…'.") as the setting an operator writes: "Site:MaxInputLength: …". Our own checks say it that way
    /// already.
    /// </summary>
    private static string Plain(Type options, string failure)
    {
        var match = AnnotationFailure().Match(failure);
        if (!match.Success || options.GetField("Section")?.GetValue(null) is not string section)
        {
            return failure;
        }
        var members = match.Groups["members"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return $"{string.Join(", ", members.Select(m => $"{section}:{m}"))}: {match.Groups["error"].Value}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<members>[^']*)' with the error: '(?<error>.*)'\.?$")]
    private static partial System.Text.RegularExpressions.Regex AnnotationFailure();
}
