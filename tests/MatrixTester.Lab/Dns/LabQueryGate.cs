namespace MatrixTester.Lab.Dns;

/// <summary>
/// A causal hook on one DNS question (<see cref="LabDnsServer.Watch"/>): <see cref="Arrived"/> completes when the
/// question reaches the server, and a held gate keeps every answer to it back until <see cref="Release"/>. Tests then
/// assert order and cause ("the SRV question was asked before the well-known answered") instead of timing margins.
/// </summary>
public sealed class LabQueryGate
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal LabQueryGate(bool hold)
    {
        if (!hold)
        {
            _released.SetResult();
        }
    }

    /// <summary>Completes when the first query for this question arrives (UDP or TCP).</summary>
    public Task Arrived => _arrived.Task;

    /// <summary>Lets the held answers go (and every later one); harmless on a gate that does not hold.</summary>
    public void Release() => _released.TrySetResult();

    internal Task PassAsync(CancellationToken token)
    {
        _arrived.TrySetResult();
        return _released.Task.WaitAsync(token);
    }
}
