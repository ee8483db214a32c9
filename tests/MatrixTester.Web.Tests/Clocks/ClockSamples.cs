using System.Diagnostics;

namespace MatrixTester.Web.Tests.Clocks;

/// <summary>
/// Never run: compiled only so <see cref="TimeProviderGuardTests"/> can check that the scan catches each kind of clock
/// and timer at its line ("offends") and lets the TimeProvider overloads through ("passes").
/// </summary>
internal static class ClockSamples
{
    public static async Task AllKindsAsync(TimeProvider time, CancellationToken ct)
    {
        _ = Stopwatch.StartNew(); // offends
        _ = DateTime.UtcNow; // offends
        _ = DateTimeOffset.UtcNow; // offends
        _ = Environment.TickCount64; // offends
        await Task.Delay(TimeSpan.FromSeconds(1), ct); // offends
        await Task.Delay(TimeSpan.FromSeconds(1), time, ct); // passes
        using var plain = new CancellationTokenSource(TimeSpan.FromSeconds(1)); // offends
        using var timed = new CancellationTokenSource(TimeSpan.FromSeconds(1), time); // passes
        plain.CancelAfter(TimeSpan.FromSeconds(1)); // offends
        await Task.CompletedTask.WaitAsync(TimeSpan.FromSeconds(1), ct); // offends
        await Task.CompletedTask.WaitAsync(TimeSpan.FromSeconds(1), time, ct); // passes
        using var periodic = new PeriodicTimer(TimeSpan.FromSeconds(1)); // offends
        using var timer = new Timer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1)); // offends
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveTimeout = 1000 }; // offends
        _ = TimeProvider.System; // offends
        _ = time.GetUtcNow(); // passes
        Thread.Sleep(1); // offends
    }
}
