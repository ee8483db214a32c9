using MatrixTester.Web.Abuse;
using MatrixTester.Web.Diagnoses;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Shares;

/// <summary>The fair shares of <see cref="DiagnosisSlots"/> on their own: who runs, who waits where, who is refused and why.</summary>
public sealed class SlotTests
{
    private static DiagnosisSlots Slots(int running, int queued, int runningPerClient, int queuedPerClient, int reserved = 0) =>
        new(Options.Create(new AbuseOptions
        {
            MaxConcurrentDiagnoses = running,
            MaxQueuedDiagnoses = queued,
            MaxRunningPerClient = runningPerClient,
            MaxQueuedPerClient = queuedPerClient,
            QueueReservedForNewClients = reserved,
        }));

    private sealed class Watcher
    {
        public List<int> Positions { get; } = [];

        public int Last => Positions[^1];

        public void Report(int position) => Positions.Add(position);
    }

    private static (DiagnosisTicket? Ticket, SlotRefusal Refusal, Watcher Watcher) Enter(DiagnosisSlots slots, string client)
    {
        var watcher = new Watcher();
        var (ticket, refusal) = slots.TryEnter(client, watcher.Report);
        return (ticket, refusal, watcher);
    }

    [Fact]
    public void A_client_runs_up_to_its_share_waits_up_to_its_share_and_is_then_refused_for_its_share_alone()
    {
        var slots = Slots(running: 16, queued: 64, runningPerClient: 4, queuedPerClient: 8);
        var tickets = Enumerable.Range(0, 12).Select(_ => Enter(slots, "203.0.113.1")).ToList();
        Assert.All(tickets.Take(4), t => Assert.True(t.Ticket!.Granted.IsCompleted));
        Assert.All(tickets.Skip(4), t => Assert.False(t.Ticket!.Granted.IsCompleted));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], tickets.Skip(4).Select(t => t.Watcher.Last));
        Assert.Equal((4, 8), slots.HeldBy("203.0.113.1"));

        var refused = Enter(slots, "203.0.113.1");
        Assert.Null(refused.Ticket);
        Assert.Equal(SlotRefusal.ClientShare, refused.Refusal);
        // Everybody else still runs at once: 12 of the 16 slots are free.
        var other = Enter(slots, "198.51.100.7");
        Assert.True(other.Ticket!.Granted.IsCompleted);
        Assert.Equal((5, 8), (slots.Running, slots.Queued));
    }

    [Fact]
    public void When_the_tester_itself_is_full_the_refusal_says_so_for_newcomers_and_holders_alike()
    {
        var slots = Slots(running: 1, queued: 1, runningPerClient: 1, queuedPerClient: 1);
        Assert.True(Enter(slots, "a").Ticket!.Granted.IsCompleted);
        Assert.False(Enter(slots, "b").Ticket!.Granted.IsCompleted);
        Assert.Equal(SlotRefusal.Full, Enter(slots, "c").Refusal);
        Assert.Equal(SlotRefusal.Full, Enter(slots, "a").Refusal);
    }

    [Fact]
    public void A_free_slot_goes_to_the_waiting_client_with_the_fewest_running_then_to_the_first_come()
    {
        var slots = Slots(running: 2, queued: 8, runningPerClient: 2, queuedPerClient: 8);
        var a1 = Enter(slots, "a");
        var a2 = Enter(slots, "a");
        var a3 = Enter(slots, "a");
        var a4 = Enter(slots, "a");
        var b1 = Enter(slots, "b");
        // b has nothing running: its first test is next, ahead of a's line, and everyone is told so.
        Assert.Equal((1, 2, 3), (b1.Watcher.Last, a3.Watcher.Last, a4.Watcher.Last));
        Assert.Equal([1, 2], a3.Watcher.Positions);

        a1.Ticket!.Dispose();
        Assert.True(b1.Ticket!.Granted.IsCompleted);
        Assert.False(a3.Ticket!.Granted.IsCompleted);
        Assert.Equal((1, 2), (a3.Watcher.Last, a4.Watcher.Last));

        a2.Ticket!.Dispose();
        Assert.True(a3.Ticket.Granted.IsCompleted);
        Assert.Equal(0, a3.Watcher.Last);
        Assert.Equal(1, a4.Watcher.Last);
    }

    [Fact]
    public void Waiting_clients_take_turns_every_clients_next_test_before_anybodys_second()
    {
        var slots = Slots(running: 1, queued: 8, runningPerClient: 1, queuedPerClient: 8);
        var c1 = Enter(slots, "c");
        var a1 = Enter(slots, "a");
        var a2 = Enter(slots, "a");
        var a3 = Enter(slots, "a");
        var b1 = Enter(slots, "b");
        Assert.Equal((1, 2, 3, 4), (a1.Watcher.Last, b1.Watcher.Last, a2.Watcher.Last, a3.Watcher.Last));

        c1.Ticket!.Dispose();
        Assert.True(a1.Ticket!.Granted.IsCompleted);
        // a now runs its share: its other tests wait behind b's.
        Assert.Equal((1, 2, 3), (b1.Watcher.Last, a2.Watcher.Last, a3.Watcher.Last));

        // a's test ended, so a has nothing running, like b; but b has not had its turn yet.
        a1.Ticket.Dispose();
        Assert.True(b1.Ticket!.Granted.IsCompleted);
        Assert.False(a2.Ticket!.Granted.IsCompleted);
        Assert.Equal((1, 2), (a2.Watcher.Last, a3.Watcher.Last));
    }

    [Fact]
    public void The_last_places_in_line_take_only_clients_that_hold_nothing()
    {
        var slots = Slots(running: 1, queued: 3, runningPerClient: 1, queuedPerClient: 8, reserved: 2);
        Assert.True(Enter(slots, "a").Ticket!.Granted.IsCompleted);
        Assert.NotNull(Enter(slots, "a").Ticket);
        // a holds two now: the two reserved places are not for it. A newcomer would still get in, so this refusal is
        // a's own doing (429), not a full tester (503).
        Assert.Equal(SlotRefusal.ClientShare, Enter(slots, "a").Refusal);
        Assert.NotNull(Enter(slots, "b").Ticket);
        Assert.NotNull(Enter(slots, "c").Ticket);
        Assert.Equal(SlotRefusal.Full, Enter(slots, "d").Refusal);
        Assert.Equal(3, slots.Queued);
    }

    [Fact]
    public void A_waiting_diagnosis_another_client_asks_for_starts_for_the_least_busy_of_them_and_is_charged_to_it()
    {
        var slots = Slots(running: 3, queued: 8, runningPerClient: 2, queuedPerClient: 8);
        var a1 = Enter(slots, "a");
        Enter(slots, "a");
        var shared = Enter(slots, "a");
        // a is at its running share: its third test waits although a slot is free.
        Assert.False(shared.Ticket!.Granted.IsCompleted);
        Assert.Equal((2, 1), slots.HeldBy("a"));

        shared.Ticket.Join("b");
        Assert.True(shared.Ticket.Granted.IsCompleted);
        Assert.Equal((2, 0), slots.HeldBy("a"));
        Assert.Equal((1, 0), slots.HeldBy("b"));

        // The charge stays with b until the run ends, whatever a's runs do meanwhile.
        a1.Ticket!.Dispose();
        Assert.Equal((1, 0), slots.HeldBy("b"));
        shared.Ticket.Dispose();
        Assert.Equal((0, 0), slots.HeldBy("b"));
        Assert.Equal(1, slots.Running);
    }

    [Fact]
    public void Joining_a_diagnosis_that_already_runs_costs_nothing()
    {
        var slots = Slots(running: 4, queued: 4, runningPerClient: 1, queuedPerClient: 0);
        var run = Enter(slots, "a");
        run.Ticket!.Join("b");
        Assert.Equal((0, 0), slots.HeldBy("b"));
        Assert.True(Enter(slots, "b").Ticket!.Granted.IsCompleted);
    }

    [Fact]
    public void A_share_above_the_global_cap_acts_as_the_global_cap()
    {
        var slots = Slots(running: 2, queued: 1, runningPerClient: 100, queuedPerClient: 100);
        Assert.True(Enter(slots, "a").Ticket!.Granted.IsCompleted);
        Assert.True(Enter(slots, "a").Ticket!.Granted.IsCompleted);
        Assert.NotNull(Enter(slots, "a").Ticket);
        Assert.Equal(SlotRefusal.Full, Enter(slots, "a").Refusal);
    }

    [Fact]
    public void A_share_given_back_twice_counts_once()
    {
        var slots = Slots(running: 1, queued: 0, runningPerClient: 1, queuedPerClient: 0);
        var first = Enter(slots, "a");
        first.Ticket!.Dispose();
        first.Ticket.Dispose();
        Assert.Equal((0, 0), (slots.Running, slots.Queued));
        Assert.True(Enter(slots, "a").Ticket!.Granted.IsCompleted);
        Assert.Equal(SlotRefusal.Full, Enter(slots, "b").Refusal);
    }
}
