namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// The grant order. A free slot goes to the waiting diagnosis that can start (a waiter below its running share) and
/// whose least busy waiter has the fewest diagnoses running; among those, by turn, then first come. Turns are
/// start-time fair queuing: each new ticket takes its client's next turn, which is never earlier than the turn being
/// served now, so a client that waited long does not get a burst, a newcomer does not queue behind a client's whole
/// line, and every client's next test goes before anybody's following one.
/// </summary>
public sealed partial class DiagnosisSlots
{
    private long _turnServed;

    private void TakeTurn(DiagnosisTicket ticket, string client)
    {
        ticket.Turn = Math.Max(_turnServed, _clients.TryGetValue(client, out var held) ? held.NextTurn : 0);
        Charge(client).NextTurn = ticket.Turn + 1;
    }

    // A waiter whose next turn is earlier lends it to the ticket (and spends it); one holding nothing has the current turn.
    private void JoinTurn(DiagnosisTicket ticket, string client)
    {
        if (_clients.TryGetValue(client, out var held))
        {
            var turn = Math.Max(_turnServed, held.NextTurn);
            if (turn < ticket.Turn)
            {
                ticket.Turn = turn;
                held.NextTurn = turn + 1;
            }
        }
        else
        {
            ticket.Turn = Math.Min(ticket.Turn, _turnServed);
        }
    }

    private void Served(DiagnosisTicket ticket) => _turnServed = Math.Max(_turnServed, ticket.Turn);

    // _queue is in arrival order and OrderBy is stable: equal keys stay first come, first served.
    private List<DiagnosisTicket> Order(SlotLimits limits) =>
        [.. _queue.Select(t => (Ticket: t, Busy: Busyness(t).Running))
            .OrderBy(t => t.Busy < limits.RunningPerClient ? 0 : 1).ThenBy(t => t.Busy).ThenBy(t => t.Ticket.Turn)
            .Select(t => t.Ticket)];

    // The waiter a ticket would be charged to if it started now: the one with the fewest running, the starter on ties.
    private (string Client, int Running) Busyness(DiagnosisTicket ticket)
    {
        var best = (Client: ticket.Starter, Running: RunningOf(ticket.Starter));
        foreach (var waiter in ticket.Waiters)
        {
            var running = RunningOf(waiter);
            if (running < best.Running)
            {
                best = (waiter, running);
            }
        }
        return best;
    }

    private int RunningOf(string client) => _clients.TryGetValue(client, out var held) ? held.Running : 0;
}
