using MatrixTester.Web.Diagnoses;

namespace MatrixTester.Web.Refusals;

/// <summary>
/// The one mapping from a refused admission to its answer, for every door to a diagnosis (the compatible API, the v2
/// report and stream, /probe, the homepage): 400 for input that cannot be tested; 429 for the client's rate limit or
/// its share; 503 when the tester is full. Each door picks only the style: text, problem details, or the page.
/// </summary>
public static class AdmissionAnswers
{
    /// <summary>Null when <paramref name="admission"/> was admitted; else what to answer.</summary>
    public static RefusalAnswer? Describe(Admission admission)
    {
        ArgumentNullException.ThrowIfNull(admission);
        return admission.Refused is { } refused ? Describe(refused) : null;
    }

    /// <summary>What to answer a refusal (of a single request, a batch, or one name of a batch).</summary>
    public static RefusalAnswer Describe(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal switch
        {
            { Reason: RefusalReason.InvalidInput, Problem: var problem } => RefusalAnswer.Invalid(problem ?? "Missing server_name parameter"),
            { Reason: RefusalReason.RateLimited } refused => new(StatusCodes.Status429TooManyRequests, DiagnosisRateLimit.Policy.Title,
                DiagnosisRateLimit.Policy.Text, refused.RetryAfter),
            { Reason: RefusalReason.ClientShare } refused => new(StatusCodes.Status429TooManyRequests, SiteText.Get("refusal.share.title"), SiteText.Get("refusal.share.text"),
                refused.RetryAfter),
            var refused => new(StatusCodes.Status503ServiceUnavailable, SiteText.Get("refusal.busy.title"), SiteText.Get("refusal.busy.text"), refused.RetryAfter),
        };
    }

    /// <summary>For our JSON API.</summary>
    public static ProblemRefusal? Problem(Admission admission) => Describe(admission) is { } answer ? new(answer) : null;

    /// <summary>For the compatible API and /probe.</summary>
    public static TextRefusal? Text(Admission admission) => Describe(admission) is { } answer ? new(answer) : null;

    /// <summary>For a page handler: a busy answer as the error page (a page shows invalid input in its own form).</summary>
    public static PageRefusal? Page(Admission admission) => Describe(admission) is { } answer ? new(answer) : null;
}
