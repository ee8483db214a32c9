using System.Runtime.CompilerServices;

namespace MatrixTester.Web.Diagnoses;

/// <summary>How one name of a batch ended: finished (saved or not), or refused for want of capacity.</summary>
public sealed record BatchOutcome(string Name, FinishedDiagnosis? Finished, Refusal? Refused);

/// <summary>
/// The names of an admitted batch (<see cref="DiagnosisAdmission.AdmitBatch"/>), each joined exactly as a single
/// request of the same client would be: sharing a run in flight or a recent result, else a new run within the
/// client's fair share of the slots. The batch keeps as many in flight as that share takes; when it is full, the next
/// name waits until one of the batch's own finishes, so a batch never crowds out other clients, and never refuses
/// itself. A name is refused only when none of the batch's own are in flight to wait for (the tester is full, or
/// the client's share is taken by its other requests). Outcomes come in the order the names finish.
/// </summary>
public sealed class DiagnosisBatch(SharedDiagnoses shared, string client, IReadOnlyList<string> names)
{
    public IReadOnlyList<string> Names => names;

    public async IAsyncEnumerable<BatchOutcome> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new Queue<string>(names);
        var running = new List<Task<BatchOutcome>>();
        while (pending.Count > 0 || running.Count > 0)
        {
            while (pending.TryPeek(out var name))
            {
                var admitted = shared.Join(name, fresh: false, client);
                if (admitted.Refused is { } refused)
                {
                    if (running.Count > 0)
                    {
                        break; // wait for one of ours to give its place back
                    }
                    pending.Dequeue();
                    yield return new BatchOutcome(name, null, refused);
                    continue;
                }
                pending.Dequeue();
                running.Add(FinishAsync(name, admitted, cancellationToken));
            }
            if (running.Count == 0)
            {
                continue;
            }
            var done = await Task.WhenAny(running);
            running.Remove(done);
            yield return await done;
        }
    }

    private static async Task<BatchOutcome> FinishAsync(string name, Admission admitted, CancellationToken cancellationToken) =>
        new(name, await admitted.FinishedAsync(cancellationToken), null);
}
