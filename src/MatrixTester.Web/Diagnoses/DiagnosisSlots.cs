using MatrixTester.Web.Abuse;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Diagnoses;

/// <summary>Why <see cref="DiagnosisSlots.TryEnter"/> said no.</summary>
public enum SlotRefusal
{
    /// <summary>Not refused: the ticket runs now or waits in line.</summary>
    None,

    /// <summary>This client holds its share already; a client holding nothing would have got in.</summary>
    ClientShare,

    /// <summary>The tester is full: a client holding nothing would have been refused too.</summary>
    Full,
}

/// <summary>
/// The cap on concurrent diagnoses, shared fairly between clients (<see cref="ClientAddress.PartitionKey"/>).
/// <see cref="AbuseOptions.MaxConcurrentDiagnoses"/> run and <see cref="AbuseOptions.MaxQueuedDiagnoses"/> wait; one
/// client has at most <see cref="AbuseOptions.MaxRunningPerClient"/> running and
/// <see cref="AbuseOptions.MaxQueuedPerClient"/> waiting, and the last
/// <see cref="AbuseOptions.QueueReservedForNewClients"/> places in line only take clients that hold nothing. Free
/// slots go to the least busy waiting client, in turns (the grant order is in DiagnosisSlots.Fairness.cs), so one
/// busy client's long line never stands in front of somebody else's first test. Refusals are at once, never a timeout.
/// </summary>
public sealed partial class DiagnosisSlots(IOptions<AbuseOptions> options)
{
    private readonly Lock _lock = new();
    private readonly List<DiagnosisTicket> _queue = [];
    private readonly Dictionary<string, Holding> _clients = new(StringComparer.Ordinal);
    private long _arrivals;
    private long _shareRefusals;
    private long _fullRefusals;
    private int _running;

    public int Running
    {
        get { lock (_lock) { return _running; } }
    }

    public int Queued
    {
        get { lock (_lock) { return _queue.Count; } }
    }

    /// <summary>Refusals so far, by reason (for the metrics).</summary>
    public long Refusals(SlotRefusal reason) => reason switch
    {
        SlotRefusal.ClientShare => Interlocked.Read(ref _shareRefusals),
        SlotRefusal.Full => Interlocked.Read(ref _fullRefusals),
        _ => 0,
    };

    /// <summary>The diagnoses charged to <paramref name="client"/>: running on its behalf, and waiting that it started.</summary>
    public (int Running, int Queued) HeldBy(string client)
    {
        lock (_lock)
        {
            return _clients.TryGetValue(client, out var held) ? (held.Running, held.Queued) : (0, 0);
        }
    }

    /// <summary>
    /// A ticket for a new diagnosis that <paramref name="client"/> asks for, granted now or later (its place in line
    /// goes to <paramref name="onPosition"/>: 1 is next, 0 means running), or why not.
    /// </summary>
    public (DiagnosisTicket? Ticket, SlotRefusal Refusal) TryEnter(string client, Action<int> onPosition)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(onPosition);
        lock (_lock)
        {
            var limits = SlotLimits.From(options.Value);
            var held = _clients.GetValueOrDefault(client) ?? new Holding();
            var ticket = new DiagnosisTicket(this, client, onPosition, _arrivals++);
            if (_running < limits.Running && held.Running < limits.RunningPerClient)
            {
                TakeTurn(ticket, client);
                Start(ticket, client);
                return (ticket, SlotRefusal.None);
            }
            var room = held.IsEmpty ? limits.Queued : limits.Queued - limits.Reserved;
            if (held.Queued < limits.QueuedPerClient && _queue.Count < room)
            {
                TakeTurn(ticket, client);
                Charge(client).Queued++;
                _queue.Add(ticket);
                ReportPositions(limits);
                return (ticket, SlotRefusal.None);
            }
            // Told apart by what a client holding nothing would get now: then the refusal is this client's own doing.
            var newcomerFits = _running < limits.Running || (limits.QueuedPerClient > 0 && _queue.Count < limits.Queued);
            var refusal = newcomerFits && !held.IsEmpty ? SlotRefusal.ClientShare : SlotRefusal.Full;
            Interlocked.Increment(ref refusal == SlotRefusal.ClientShare ? ref _shareRefusals : ref _fullRefusals);
            return (null, refusal);
        }
    }

    /// <summary>
    /// <paramref name="client"/> waits for a diagnosis somebody else asked for. Free for it (no work is added), but
    /// while the diagnosis waits, it counts as this client's too: it starts as soon as the least busy of its waiters
    /// would get a slot, so nobody can hold a name others need at the back of the line.
    /// </summary>
    internal void Join(DiagnosisTicket ticket, string client)
    {
        lock (_lock)
        {
            if (ticket.Charged is null && ticket.Waiters.Add(client))
            {
                JoinTurn(ticket, client);
                Pump(SlotLimits.From(options.Value));
            }
        }
    }

    internal void Release(DiagnosisTicket ticket)
    {
        lock (_lock)
        {
            _running--;
            Uncharge(ticket.Charged!, running: true);
            Pump(SlotLimits.From(options.Value));
        }
    }

    // Grants every slot that can be granted, then tells everybody still waiting their (maybe new) place.
    private void Pump(SlotLimits limits)
    {
        while (_running < limits.Running && Order(limits).FirstOrDefault() is { } next && Busyness(next).Running < limits.RunningPerClient)
        {
            _queue.Remove(next);
            Uncharge(next.Starter, running: false);
            Start(next, Busyness(next).Client);
        }
        ReportPositions(limits);
    }

    private void ReportPositions(SlotLimits limits)
    {
        var position = 1;
        foreach (var ticket in Order(limits))
        {
            ticket.Report(position++);
        }
    }

    private void Start(DiagnosisTicket ticket, string charged)
    {
        _running++;
        Charge(charged).Running++;
        Served(ticket);
        ticket.Grant(charged);
    }

    private Holding Charge(string client)
    {
        if (!_clients.TryGetValue(client, out var held))
        {
            _clients[client] = held = new Holding();
        }
        return held;
    }

    private void Uncharge(string client, bool running)
    {
        var held = _clients[client];
        if (running)
        {
            held.Running--;
        }
        else
        {
            held.Queued--;
        }
        if (held.IsEmpty)
        {
            _clients.Remove(client);
        }
    }

    /// <summary>What one client holds, and its place in the turns (see <c>TakeTurn</c>).</summary>
    private sealed class Holding
    {
        public int Running { get; set; }

        public int Queued { get; set; }

        public long NextTurn { get; set; }

        public bool IsEmpty => Running == 0 && Queued == 0;
    }

    // Per-client values above the global ones act as the global ones.
    private readonly record struct SlotLimits(int Running, int Queued, int RunningPerClient, int QueuedPerClient, int Reserved)
    {
        public static SlotLimits From(AbuseOptions o) => new(o.MaxConcurrentDiagnoses, o.MaxQueuedDiagnoses,
            Math.Min(o.MaxRunningPerClient, o.MaxConcurrentDiagnoses), Math.Min(o.MaxQueuedPerClient, o.MaxQueuedDiagnoses),
            Math.Min(o.QueueReservedForNewClients, o.MaxQueuedDiagnoses));
    }
}
