using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using MatrixTester.Lab;

namespace MatrixTester.Web.Tests;

/// <summary>
/// Skips a test that needs a part this machine lacks (fails it under CI, see <see cref="Prerequisite"/>), and says
/// why once per part in the run's output: xunit's diagnostic messages are on (xunit.runner.json), so
/// <c>dotnet test</c> prints each missing part with the line that installs it above the list of skipped tests.
/// </summary>
internal static class Requires
{
    private static readonly ConcurrentDictionary<string, bool> Announced = new(StringComparer.Ordinal);

    public static void Part(Prerequisite part)
    {
        if (part.SkipReason() is { } reason)
        {
            Skip(part.Name, reason);
        }
    }

    [DoesNotReturn]
    public static void Skip(string part, string reason)
    {
        if (Announced.TryAdd(part, true))
        {
            TestContext.Current.SendDiagnosticMessage($"Skipping the tests that need {part}: {reason}");
        }
        Assert.Skip(reason);
    }
}
