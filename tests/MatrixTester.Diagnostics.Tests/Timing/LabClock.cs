using Microsoft.Extensions.Time.Testing;

namespace MatrixTester.Diagnostics.Tests.Timing;

/// <summary>Fake clocks for the engine in lab scenarios.</summary>
internal static class LabClock
{
    /// <summary>
    /// A clock that stands at the real "now" until the test advances it. Not FakeTimeProvider's default start (the year
    /// 2000): the engine checks certificates against its clock, and the lab's are valid from about now.
    /// </summary>
    public static FakeTimeProvider StoppedNow() => new(TimeProvider.System.GetUtcNow());
}
