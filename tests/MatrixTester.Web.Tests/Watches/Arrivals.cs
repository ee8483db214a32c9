namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// A count of things that arrived (webhook deliveries, mails), signalled by whatever receives them: a test waits for
/// the arrival itself, bounded by a timeout, instead of polling a clock.
/// </summary>
internal sealed class Arrivals
{
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _count;

    public void Add()
    {
        lock (_waiters)
        {
            _count++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Whether <paramref name="count"/> arrived within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAsync(int count, TimeSpan timeout)
    {
        Task reached;
        lock (_waiters)
        {
            if (_count >= count)
            {
                return true;
            }
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
            reached = waiter.Task;
        }
        try
        {
            await reached.WaitAsync(timeout, TestContext.Current.CancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
