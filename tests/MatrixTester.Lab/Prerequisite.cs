using System.Diagnostics;

namespace MatrixTester.Lab;

/// <summary>
/// A part of the test machine beyond the .NET SDK that some tests need. Where it is missing those tests are skipped
/// with the reason on a developer's machine, and fail under CI (CI=true or 1), which installs everything
/// (<c>.ci/run</c>), so a broken setup can never pass as "skipped". Each is found through a variable that can point
/// it elsewhere, or at nothing to run the suite as a machine without it would (README, "Commands").
/// </summary>
public sealed class Prerequisite(string name, Func<string?> probe)
{
    private readonly Lazy<string?> _missing = new(probe);

    /// <summary>What the part is called in skip messages ("chromium", "node").</summary>
    public string Name => name;

    public static bool InCi => Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>Debian's chromium, which the browser tests drive through Playwright (never a downloaded browser).</summary>
    public static string ChromiumPath => Configured("MATRIXTESTER_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>The python3 that runs the SMTP sink of the watch tests.</summary>
    public static string PythonPath => Configured("MATRIXTESTER_PYTHON") ?? "/usr/bin/python3";

    public static Prerequisite Chromium { get; } = new("chromium", () => File.Exists(ChromiumPath)
        ? null
        : $"chromium is not installed ({ChromiumPath} not found; the browser tests drive Debian's chromium): apt-get install chromium");

    public static Prerequisite Aiosmtpd { get; } = new("python3-aiosmtpd", ProbeAiosmtpd);

    /// <summary>Why the part is missing, or null when it is there (probed once per test process).</summary>
    public string? Missing => _missing.Value;

    /// <summary>Null when the part is there; the reason to skip on a developer's machine; throws under CI.</summary>
    public string? SkipReason() => Missing is not { } reason
        ? null
        : InCi
            ? throw new InvalidOperationException($"{reason}. CI must run the tests that need {name}: .ci/run installs it.")
            : reason;

    /// <summary>A variable's value when set and not empty.</summary>
    public static string? Configured(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;

    private static string? ProbeAiosmtpd()
    {
        const string install = "apt-get install python3-aiosmtpd";
        if (!File.Exists(PythonPath))
        {
            return $"python3 is not installed ({PythonPath} not found; the watch tests run a real SMTP server, aiosmtpd): {install}";
        }
        var start = new ProcessStartInfo(PythonPath, ["-c", "import aiosmtpd"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            return $"{PythonPath} did not answer within 60 s when asked to import aiosmtpd";
        }
        return process.ExitCode == 0
            ? null
            : $"{PythonPath} has no aiosmtpd module (the watch tests run a real SMTP server with it): {install}";
    }
}
