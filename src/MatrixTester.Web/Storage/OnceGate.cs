namespace MatrixTester.Web.Storage;

/// <summary>
/// Runs a setup step until it has succeeded once. A failure is not remembered, so a database that was down at start
/// is set up by the first call after it comes back (a cached failed Task would break the store for good).
/// </summary>
internal sealed class OnceGate(Func<CancellationToken, Task> step) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile bool _done;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!_done)
            {
                await step(cancellationToken);
                _done = true;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
