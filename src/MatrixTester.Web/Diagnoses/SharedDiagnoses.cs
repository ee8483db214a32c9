using System.Globalization;
using MatrixTester.Diagnostics;
using MatrixTester.Web.Abuse;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// Per-target sharing in front of <see cref="DiagnosisRunner"/>. Requests for the same server name at the same time
/// share one run; a finished run is shown again (same permalink) for <see cref="AbuseOptions.ReuseWindow"/>; "run
/// again" (<c>fresh</c>) skips that but starts at most one run per <see cref="AbuseOptions.RunAgainMinimumInterval"/>;
/// new runs take a slot from <see cref="DiagnosisSlots"/>. In memory, per instance: another instance behind the same
/// load balancer keeps its own table (sharing is an optimisation, never a correctness requirement).
/// <para>
/// Fair shares: a new run is charged to the client that asked for it, within that client's share of the slots; a
/// request that joins a run in flight or reuses a result costs no share (it adds no work). While a shared run still
/// waits for a slot it counts for all of its waiters, and starts on behalf of the least busy of them, so a client
/// cannot hold a name others ask for at the back of the line. A run keeps its charge until it ends, even when
/// everybody who asked has gone: closing the connection does not give a share back.
/// </para>
/// </summary>
public sealed class SharedDiagnoses(DiagnosisRunner runner, DiagnosisSlots slots, IOptions<AbuseOptions> options, TimeProvider time)
{
    private readonly Dictionary<string, SharedRun> _runs = new(StringComparer.Ordinal);
    private int _started;

    /// <summary>How many diagnoses this instance has actually started (shared and reused requests do not count).</summary>
    public int RunsStarted => Volatile.Read(ref _started);

    internal Admission Join(string input, bool fresh, string client)
    {
        ArgumentNullException.ThrowIfNull(input);
        var key = Key(input);
        var limits = options.Value;
        var now = time.GetUtcNow();
        lock (_runs)
        {
            Sweep(now, limits);
            if (_runs.TryGetValue(key, out var existing) && !existing.Failed)
            {
                if (!existing.IsFinished)
                {
                    existing.Ticket?.Join(client);
                    return new Admission(existing);
                }
                var sinceStart = now - existing.StartedAt;
                if (fresh && sinceStart < limits.RunAgainMinimumInterval)
                {
                    var wait = limits.RunAgainMinimumInterval - sinceStart;
                    return new Admission(existing, SiteText.Format("notice.too_soon", key, Ago(sinceStart), DiagnosisRateLimit.Seconds(wait)));
                }
                if (!fresh && now - existing.FinishedAt < limits.ReuseWindow)
                {
                    return new Admission(existing, SiteText.Format("notice.reused", key, Ago(sinceStart)));
                }
            }
            var run = new SharedRun(key, now);
            var (ticket, refusal) = slots.TryEnter(client, run.SetQueuePosition);
            if (ticket is null)
            {
                var reason = refusal == SlotRefusal.ClientShare ? RefusalReason.ClientShare : RefusalReason.Busy;
                return new Admission(null, Refused: new Refusal(reason, limits.BusyRetryAfter));
            }
            _runs[key] = run;
            Interlocked.Increment(ref _started);
            run.Start(runner, input, ticket, time);
            return new Admission(run);
        }
    }

    /// <summary>
    /// The finished diagnosis of a run this instance still remembers for <paramref name="input"/>, without starting
    /// anything: the live page shows an unsaved result through it (there is no permalink to fetch).
    /// </summary>
    public FinishedDiagnosis? Finished(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        lock (_runs)
        {
            return _runs.TryGetValue(Key(input), out var run) && run.Completion.IsCompletedSuccessfully ? run.Completion.Result : null;
        }
    }

    /// <summary>The same server name in different spellings of white space is one target; invalid input is its own key.</summary>
    public static string Key(string input) =>
        ServerName.TryParse(input, out var name, out _) ? name.Text : input.Trim();

    private void Sweep(DateTimeOffset now, AbuseOptions limits)
    {
        var keep = limits.ReuseWindow > limits.RunAgainMinimumInterval ? limits.ReuseWindow : limits.RunAgainMinimumInterval;
        List<string>? expired = null;
        foreach (var (key, run) in _runs)
        {
            if (run.FinishedAt is { } finished && (now - finished >= keep || run.Failed))
            {
                (expired ??= []).Add(key);
            }
        }
        foreach (var key in expired ?? [])
        {
            _runs.Remove(key);
        }
    }

    private static string Ago(TimeSpan age) =>
        age.TotalSeconds < 1.5 ? SiteText.Get("notice.just_now") : SiteText.Format("notice.seconds_ago", (int)age.TotalSeconds);
}
