namespace MatrixTester.Web.Diagnoses;

/// <summary>
/// The outcome of asking for a diagnosis: refused because the input is unusable (<see cref="Problem"/>, a 400) or the
/// tester is busy (<see cref="RetryAfter"/>, a 503), or admitted: a <see cref="Run"/> to watch or await (maybe
/// shared with other requests, maybe already finished), with a <see cref="Notice"/> when an earlier result is reused.
/// </summary>
public sealed record Admission(SharedRun? Run, string? Notice, TimeSpan RetryAfter, string? Problem = null)
{
    public bool IsInvalid => Problem is not null;

    public bool IsBusy => Run is null && Problem is null;

    /// <summary>The finished diagnosis of an admitted request; the caller's token only stops the waiting, never the run.</summary>
    public Task<FinishedDiagnosis> FinishedAsync(CancellationToken cancellationToken) =>
        (Run ?? throw new InvalidOperationException("The request was not admitted.")).Completion.WaitAsync(cancellationToken);
}

/// <summary>
/// The one way into a diagnosis for every page, API and stream: the <c>server_name</c> is checked, then the request
/// joins the shared run for that name (a reused recent result, a run in flight, or a new run that waits for a slot
/// in <see cref="Abuse.DiagnosisSlots"/>); the run stores its permalink when it finishes. Rate limiting happens
/// before this, on the endpoints that declare the <see cref="Abuse.DiagnosisRateLimit.Policy"/>.
/// </summary>
public sealed class DiagnosisAdmission(ServerNameInput input, SharedDiagnoses shared)
{
    /// <summary>The longest accepted input, for forms.</summary>
    public int MaxInputLength => input.MaxLength;

    /// <summary>Null when the input is worth running (the report explains an invalid name); else the 400 message.</summary>
    public string? Problem(string? serverName) => input.Problem(serverName);

    /// <summary>Admit a request for <paramref name="serverName"/>; <paramref name="fresh"/> is "run again".</summary>
    public Admission Admit(string? serverName, bool fresh) =>
        Problem(serverName) is { } problem
            ? new Admission(null, null, TimeSpan.Zero, problem)
            : shared.Join(serverName!, fresh);
}
