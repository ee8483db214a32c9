namespace MatrixTester.Diagnostics.Federation;

public sealed partial class EndpointConnection
{
    private readonly Lock _forming = new();
    private Batch? _open;

    /// <summary>
    /// One request, from any of several independent callers sharing this connection (the server, client and support
    /// well-known files of one host): requests made while the connection is being opened, or while an earlier batch
    /// is still on the wire, leave together in one pipelined write. The connection works for as long as any caller
    /// still waits; when the last one gives up, the connect or the read in progress is abandoned and its socket closed.
    /// </summary>
    public async Task<HttpExchange> SendAsync(OutboundRequest request, string hostHeader, Func<TimeSpan> elapsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(elapsed);
        var waiter = new Waiter(new Outgoing(request, hostHeader));
        Batch batch;
        var lead = false;
        lock (_forming)
        {
            if (_open is null)
            {
                _open = new Batch();
                lead = true;
            }
            batch = _open;
            batch.Join(waiter);
        }
        if (lead)
        {
            _ = RunBatchAsync(batch, elapsed);
        }
        using (cancellationToken.Register(() => Leave(batch, waiter)))
        {
            try
            {
                return await waiter.Result.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Leave(batch, waiter);
            }
        }
    }

    /// <summary>A caller stops waiting (answered or gone); the last one out aborts whatever the batch still does.</summary>
    private void Leave(Batch batch, Waiter waiter)
    {
        if (!waiter.TryLeave())
        {
            return;
        }
        bool abort;
        lock (_forming)
        {
            // Decided under the lock that admits joiners, so nobody joins a batch that is being aborted.
            abort = --batch.Present == 0;
            if (abort && _open == batch)
            {
                _open = null;
            }
        }
        if (abort)
        {
            batch.Abort.Cancel();
        }
    }

    private async Task RunBatchAsync(Batch batch, Func<TimeSpan> elapsed)
    {
        try
        {
            await _gate.WaitAsync(batch.Abort.Token);
            try
            {
                await RunAsync(() => Seal(batch), elapsed, batch.Deliver, batch.Abort.Token);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException) when (batch.Abort.IsCancellationRequested)
        {
            // Every caller gave up; nobody waits for a result.
        }
        catch (Exception ex)
        {
            // A defect, not a network condition (those are results): the callers see it rather than a cancellation.
            batch.Fail(ex);
        }
        finally
        {
            lock (_forming)
            {
                if (_open == batch)
                {
                    _open = null;
                }
            }
            batch.Finish();
        }
    }

    /// <summary>No more requests join this batch: they go in the next one.</summary>
    private Outgoing[] Seal(Batch batch)
    {
        lock (_forming)
        {
            if (_open == batch)
            {
                _open = null;
            }
            return batch.Seal();
        }
    }

    private sealed class Waiter(Outgoing item)
    {
        private int _left;

        public Outgoing Item { get; } = item;

        public TaskCompletionSource<HttpExchange> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>True the first time only: each waiter leaves its batch once.</summary>
        public bool TryLeave() => Interlocked.Exchange(ref _left, 1) == 0;
    }

    /// <summary>Requests that share one write; aborted when the last of their callers stops waiting.</summary>
    private sealed class Batch
    {
        private readonly List<Waiter> _waiters = [];

        /// <summary>
        /// Never disposed: a caller may still cancel it after the batch ended, and without a timer it holds nothing
        /// that needs releasing.
        /// </summary>
        public CancellationTokenSource Abort { get; } = new();

        /// <summary>Callers still waiting; changed under the connection's lock.</summary>
        public int Present { get; set; }

        /// <summary>Called under the connection's lock.</summary>
        public void Join(Waiter waiter)
        {
            _waiters.Add(waiter);
            Present++;
        }

        public Outgoing[] Seal() => _waiters.Select(w => w.Item).ToArray();

        public void Deliver(int index, HttpExchange exchange) => _waiters[index].Result.TrySetResult(exchange);

        public void Fail(Exception ex)
        {
            foreach (var waiter in _waiters)
            {
                waiter.Result.TrySetException(ex);
            }
        }

        /// <summary>Whoever still waits for a request the batch never answered (only when all gave up) stops waiting.</summary>
        public void Finish()
        {
            foreach (var waiter in _waiters)
            {
                waiter.Result.TrySetCanceled();
            }
        }
    }
}
