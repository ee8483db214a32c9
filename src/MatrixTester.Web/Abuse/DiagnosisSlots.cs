using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Abuse;

/// <summary>
/// The global cap on concurrent diagnoses: <see cref="AbuseOptions.MaxConcurrentDiagnoses"/> run, up to
/// <see cref="AbuseOptions.MaxQueuedDiagnoses"/> wait in first-come order and are told their place in line as it
/// changes, and beyond that <see cref="TryEnter"/> says no at once (the caller answers 503), so nobody times out.
/// </summary>
public sealed class DiagnosisSlots(IOptions<AbuseOptions> options)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Ticket> _queue = new();
    private int _running;

    public int Running
    {
        get { lock (_lock) { return _running; } }
    }

    public int Queued
    {
        get { lock (_lock) { return _queue.Count; } }
    }

    /// <summary>
    /// A ticket that is granted now or later (its place in line is reported to <paramref name="onPosition"/>: 1 is
    /// next, 0 means running), or null when the line is full.
    /// </summary>
    public Ticket? TryEnter(Action<int> onPosition)
    {
        ArgumentNullException.ThrowIfNull(onPosition);
        lock (_lock)
        {
            var ticket = new Ticket(this, onPosition);
            if (_running < options.Value.MaxConcurrentDiagnoses)
            {
                _running++;
                ticket.Grant();
                return ticket;
            }
            if (_queue.Count >= options.Value.MaxQueuedDiagnoses)
            {
                return null;
            }
            _queue.AddLast(ticket);
            onPosition(_queue.Count);
            return ticket;
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            if (_queue.First is { } next)
            {
                // The slot passes straight to the first in line; everybody else moves up one.
                _queue.RemoveFirst();
                next.Value.Grant();
                var position = 1;
                foreach (var waiting in _queue)
                {
                    waiting.Report(position++);
                }
            }
            else
            {
                _running--;
            }
        }
    }

    public sealed class Ticket(DiagnosisSlots slots, Action<int> onPosition) : IDisposable
    {
        private readonly TaskCompletionSource _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _released;

        /// <summary>Completes when the diagnosis may run.</summary>
        public Task Granted => _granted.Task;

        internal void Grant()
        {
            onPosition(0);
            _granted.TrySetResult();
        }

        internal void Report(int position) => onPosition(position);

        /// <summary>Gives the slot back (once); only granted tickets are disposed, after their run.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
