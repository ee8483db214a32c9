namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// One diagnosis's claim on a slot of <see cref="DiagnosisSlots"/>: granted now or later, given back once when the
/// run ends. While it waits it knows who started it and who else waits for it; once granted, whom it is charged to.
/// </summary>
public sealed class DiagnosisTicket : IDisposable
{
    private readonly DiagnosisSlots _slots;
    private readonly Action<int> _onPosition;
    private readonly TaskCompletionSource _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lastPosition = -1;
    private int _released;

    internal DiagnosisTicket(DiagnosisSlots slots, string starter, Action<int> onPosition, long arrival)
    {
        _slots = slots;
        _onPosition = onPosition;
        Starter = starter;
        Arrival = arrival;
    }

    /// <summary>Completes when the diagnosis may run.</summary>
    public Task Granted => _granted.Task;

    internal string Starter { get; }

    internal long Arrival { get; }

    /// <summary>Other clients that asked for the same diagnosis while it waited (read and written under the slots' lock).</summary>
    internal HashSet<string> Waiters { get; } = new(StringComparer.Ordinal);

    /// <summary>Its turn in the grant order (read and written under the slots' lock).</summary>
    internal long Turn { get; set; }

    /// <summary>The client whose running share this diagnosis takes; null while it waits.</summary>
    internal string? Charged { get; private set; }

    /// <summary>Another client asks for this diagnosis too (see <see cref="DiagnosisSlots.Join"/>).</summary>
    public void Join(string client) => _slots.Join(this, client);

    internal void Grant(string charged)
    {
        Charged = charged;
        Report(0);
        _granted.TrySetResult();
    }

    internal void Report(int position)
    {
        if (position != _lastPosition)
        {
            _lastPosition = position;
            _onPosition(position);
        }
    }

    /// <summary>Gives the slot back (once); only granted tickets are disposed, after their run.</summary>
    public void Dispose()
    {
        if (Charged is not null && Interlocked.Exchange(ref _released, 1) == 0)
        {
            _slots.Release(this);
        }
    }
}
