using System.Runtime.CompilerServices;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.Diagnoses;

/// <summary>What a watcher of a shared run sees: its place in line while waiting, then the engine's events.</summary>
public abstract record RunUpdate;

/// <summary>Waiting for a free slot; <see cref="Position"/> 1 is next.</summary>
public sealed record QueuedUpdate(int Position) : RunUpdate;

/// <summary>One engine event; <see cref="Finished"/> is set on the completed event (with the permalink, once saved).</summary>
public sealed record EventUpdate(DiagnosisEvent Event, FinishedDiagnosis? Finished) : RunUpdate;

/// <summary>
/// One diagnosis of one server name, watched by any number of requests. Every event is kept, so a watcher that
/// joins late first receives the events so far, then the live ones; after the end the run stays readable for the
/// reuse window. It runs to the end even when every watcher has left (the engine's deadline bounds it), so the
/// permalink is always stored.
/// </summary>
public sealed class SharedRun(string key, DateTimeOffset startedAt)
{
    private readonly Lock _lock = new();
    private readonly List<EventUpdate> _events = [];
    private readonly TaskCompletionSource<FinishedDiagnosis> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;
    private bool _finished;
    private DateTimeOffset? _finishedAt;

    public string Key => key;

    public DateTimeOffset StartedAt => startedAt;

    public DateTimeOffset? FinishedAt
    {
        get { lock (_lock) { return _finishedAt; } }
    }

    public bool IsFinished
    {
        get { lock (_lock) { return _finished; } }
    }

    /// <summary>Finished without a report (an unexpected error; a store outage only leaves it unsaved): not worth reusing.</summary>
    public bool Failed => _completion.Task.IsFaulted;

    /// <summary>The finished report and its permalink.</summary>
    public Task<FinishedDiagnosis> Completion => _completion.Task;

    /// <summary>This run's claim on a slot: while it waits, others who ask for the same name join it.</summary>
    internal DiagnosisTicket? Ticket { get; private set; }

    internal void SetQueuePosition(int position) => Change(() => _position = position);

    internal void Start(DiagnosisRunner runner, string input, DiagnosisTicket ticket, TimeProvider time)
    {
        Ticket = ticket;
        _ = Task.Run(() => RunAsync(runner, input, ticket, time));
    }

    private async Task RunAsync(DiagnosisRunner runner, string input, DiagnosisTicket ticket, TimeProvider time)
    {
        try
        {
            await ticket.Granted;
            // Deliberately not a request's token: watchers come and go, the run belongs to all of them.
            await foreach (var (e, finished) in runner.StreamAsync(input, CancellationToken.None))
            {
                Change(() => _events.Add(new EventUpdate(e, finished)));
                if (finished is not null)
                {
                    // Finished before anyone learns the result: a request sent right after this one's answer must
                    // not join this run as if it were still in flight.
                    MarkFinished(time);
                    _completion.TrySetResult(finished);
                }
            }
            _completion.TrySetException(new InvalidOperationException("The diagnosis ended without a report."));
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
        finally
        {
            ticket.Dispose();
            MarkFinished(time);
        }
    }

    private void MarkFinished(TimeProvider time)
    {
        var now = time.GetUtcNow();
        Change(() =>
        {
            if (!_finished)
            {
                _finished = true;
                _finishedAt = now;
            }
        });
    }

    /// <summary>Everything from the start, then live updates until the run ends (or the watcher leaves).</summary>
    public async IAsyncEnumerable<RunUpdate> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = 0;
        var lastPosition = 0;
        while (true)
        {
            Task changed;
            EventUpdate[] batch;
            int position;
            bool finished;
            lock (_lock)
            {
                changed = _changed.Task;
                batch = [.. _events.Skip(next)];
                next = _events.Count;
                position = _position;
                finished = _finished;
            }
            if (position > 0 && position != lastPosition && batch.Length == 0)
            {
                yield return new QueuedUpdate(position);
            }
            lastPosition = position;
            foreach (var update in batch)
            {
                yield return update;
            }
            if (finished)
            {
                if (_completion.Task.IsFaulted)
                {
                    await _completion.Task; // rethrows the run's failure to this watcher
                }
                yield break;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    private void Change(Action change)
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            change();
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }
}
