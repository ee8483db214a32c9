using System.Globalization;
using MatrixTester.Web.Abuse;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Diagnoses;

/// <summary>Why a request for a diagnosis was refused; <see cref="AdmissionResponses"/> turns each into its answer.</summary>
public enum RefusalReason
{
    /// <summary>The server_name is missing or too long.</summary>
    InvalidInput,

    /// <summary>The client asked for too many diagnoses in a short time.</summary>
    RateLimited,

    /// <summary>The client already has its share of the running and waiting diagnoses.</summary>
    ClientShare,

    /// <summary>Every slot and the line are taken.</summary>
    Busy,
}

/// <summary>A refusal, with when to try again (<see cref="RetryAfter"/>) or what is wrong with the input.</summary>
public sealed record Refusal(RefusalReason Reason, TimeSpan RetryAfter, string? Problem = null);

/// <summary>
/// The outcome of asking for a diagnosis: <see cref="Refused"/>, or admitted: a <see cref="Run"/> to watch or await
/// (maybe shared with other requests, maybe already finished), with a <see cref="Notice"/> when an earlier result is
/// reused.
/// </summary>
public sealed record Admission(SharedRun? Run, string? Notice = null, Refusal? Refused = null)
{
    public bool IsInvalid => Refused?.Reason == RefusalReason.InvalidInput;

    /// <summary>Refused for want of capacity: the client's rate limit, its share, or a full tester.</summary>
    public bool IsBusy => Refused is { Reason: not RefusalReason.InvalidInput };

    /// <summary>What is wrong with the input, for a 400.</summary>
    public string? Problem => Refused?.Problem;

    public TimeSpan RetryAfter => Refused?.RetryAfter ?? TimeSpan.Zero;

    /// <summary>The finished diagnosis of an admitted request; the caller's token only stops the waiting, never the run.</summary>
    public Task<FinishedDiagnosis> FinishedAsync(CancellationToken cancellationToken) =>
        (Run ?? throw new InvalidOperationException("The request was not admitted.")).Completion.WaitAsync(cancellationToken);
}

/// <summary>
/// The one way into a diagnosis for every page, API, stream and scheduled check: the <c>server_name</c> is checked,
/// the client's token bucket is charged (<see cref="DiagnosisRateLimit"/>: here, so no method, route or page handler
/// can reach a diagnosis around it), then the request joins the shared run for that name (a reused recent result, a
/// run in flight, or a new run that waits for a slot within the client's share in <see cref="DiagnosisSlots"/>); the
/// run stores its permalink when it finishes.
/// </summary>
public sealed class DiagnosisAdmission(ServerNameInput input, DiagnosisRateLimit rateLimit, SharedDiagnoses shared, IOptions<AbuseOptions> options)
{
    /// <summary>The longest accepted input, for forms.</summary>
    public int MaxInputLength => input.MaxLength;

    /// <summary>Null when the input is worth running (the report explains an invalid name); else the 400 message.</summary>
    public string? Problem(string? serverName) => input.Problem(serverName);

    /// <summary>Admit <paramref name="client"/>'s request for <paramref name="serverName"/>; <paramref name="fresh"/> is "run again".</summary>
    public Admission Admit(string? serverName, bool fresh, DiagnosisClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (Problem(serverName) is { } problem)
        {
            return new Admission(null, Refused: new Refusal(RefusalReason.InvalidInput, TimeSpan.Zero, problem));
        }
        if (client.RateLimited && rateLimit.TryTake(client.Key) is { } wait)
        {
            return new Admission(null, Refused: new Refusal(RefusalReason.RateLimited, wait));
        }
        return shared.Join(serverName!, fresh, client.Key);
    }

    /// <summary>The most names one batch may hold: the configured maximum, never more than a full rate-limit bucket.</summary>
    public int MaxBatchNames => Math.Min(options.Value.MaxBatchNames, rateLimit.Burst);

    /// <summary>
    /// Admit a batch of names for <paramref name="client"/>: every name is checked first, then the client's bucket is
    /// charged one token per distinct name, all at once (so a batch of N costs what N single requests cost); then
    /// <see cref="DiagnosisBatch"/> joins each name as a single request would, within the client's fair share.
    /// </summary>
    public (DiagnosisBatch? Batch, Refusal? Refused) AdmitBatch(IReadOnlyList<string?>? serverNames, DiagnosisClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (BatchProblem(serverNames) is { } problem)
        {
            return (null, new Refusal(RefusalReason.InvalidInput, TimeSpan.Zero, problem));
        }
        var names = serverNames!.Select(n => n!).DistinctBy(SharedDiagnoses.Key, StringComparer.Ordinal).ToList();
        if (client.RateLimited && rateLimit.TryTake(client.Key, names.Count) is { } wait)
        {
            return (null, new Refusal(RefusalReason.RateLimited, wait));
        }
        return (new DiagnosisBatch(shared, client.Key, names), null);
    }

    private string? BatchProblem(IReadOnlyList<string?>? names)
    {
        if (names is null || names.Count == 0)
        {
            return "Give the server names to test: {\"server_names\": [\"example.org\", \"example.com\"]}";
        }
        if (names.Count > MaxBatchNames)
        {
            return string.Create(CultureInfo.InvariantCulture, $"At most {MaxBatchNames} server names in one batch ({names.Count} given).");
        }
        return names.Select((n, i) => Problem(n) is { } problem ? string.Create(CultureInfo.InvariantCulture, $"Server name {i + 1}: {problem}") : null)
            .FirstOrDefault(p => p is not null);
    }
}
