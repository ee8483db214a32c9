using System.Diagnostics;
using System.Reflection;

namespace MatrixTester.Web.Tests.Clocks;

/// <summary>
/// What counts as reading a clock or starting a timer behind the injected <see cref="TimeProvider"/>'s back. Matched on
/// the resolved member, so <c>Task.Delay(d, time, ct)</c> passes and <c>Task.Delay(d, ct)</c> does not.
/// </summary>
internal static class ClockRules
{
    // Parameters that start a timer when they carry a duration (Task.Delay's delay, WaitAsync's timeout,
    // PeriodicTimer's period, Timer's dueTime, SemaphoreSlim.Wait's millisecondsTimeout, CancelAfter's delay...).
    private static readonly string[] TimerParameters = ["delay", "timeout", "period", "duetime", "interval"];

    // Library settings that run a timer of the library's own (a socket's receive timeout, a pool's connection lifetime,
    // a rate limiter's replenishment period): they take only a TimeSpan or milliseconds, so each use is allow-listed.
    private static readonly string[] LibraryTimerSetters = ["Timeout", "Lifetime", "Period", "Interval", "Delay"];

    /// <summary>Why <paramref name="callee"/> bypasses the TimeProvider, or null when it does not.</summary>
    public static string? Violation(MethodBase callee)
    {
        var type = callee.DeclaringType;
        if (type is null || type.Assembly.GetName().Name is { } name && (name.StartsWith("MatrixTester", StringComparison.Ordinal) || name == "matrix-tester"))
        {
            return null;
        }
        var parameters = callee.GetParameters();
        if (parameters.Any(p => p.ParameterType == typeof(TimeProvider)))
        {
            return null;
        }
        return (type, callee.Name) switch
        {
            _ when type == typeof(Stopwatch) => "Stopwatch reads the system clock: use TimeProvider.GetTimestamp/GetElapsedTime",
            _ when type == typeof(System.Threading.Timer) || type == typeof(System.Timers.Timer) => "a system timer: use TimeProvider.CreateTimer",
            _ when (type == typeof(DateTime) || type == typeof(DateTimeOffset)) && callee.Name is "get_Now" or "get_UtcNow" or "get_Today" =>
                "the system clock: use TimeProvider.GetUtcNow",
            _ when type == typeof(Environment) && callee.Name is "get_TickCount" or "get_TickCount64" => "the system tick count: use TimeProvider.GetTimestamp",
            _ when type == typeof(TimeProvider) && callee.Name == "get_System" => "TimeProvider.System outside a composition root: take the injected TimeProvider",
            _ when type == typeof(CancellationTokenSource) && callee.Name == "CancelAfter" =>
                "CancelAfter: create the timer as new CancellationTokenSource(delay, timeProvider) and link it",
            _ when IsLibraryTimerSetter(callee, parameters) => "a library's own timer (takes only a duration)",
            _ when parameters.Any(p => IsDuration(p) && TimerParameters.Any(t => p.Name!.Contains(t, StringComparison.OrdinalIgnoreCase))) =>
                "a timer on the system clock: use the overload that takes a TimeProvider",
            _ => null,
        };
    }

    // Milliseconds count only for *Timeout (MailKit, SQLite, Npgsql); TokensPerPeriod is a count, not a duration.
    private static bool IsLibraryTimerSetter(MethodBase callee, ParameterInfo[] parameters) =>
        callee.IsSpecialName && callee.Name.StartsWith("set_", StringComparison.Ordinal)
        && LibraryTimerSetters.Any(s => callee.Name.EndsWith(s, StringComparison.Ordinal))
        && parameters.Length == 1
        && (parameters[0].ParameterType == typeof(TimeSpan) || (callee.Name.EndsWith("Timeout", StringComparison.Ordinal) && IsDuration(parameters[0])));

    private static bool IsDuration(ParameterInfo p) =>
        p.ParameterType == typeof(TimeSpan) || p.ParameterType == typeof(TimeSpan?) || p.ParameterType == typeof(int) || p.ParameterType == typeof(long) || p.ParameterType == typeof(uint);
}
