using System.Reflection;
using MatrixTester.Web.Diagnoses;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace MatrixTester.Web.Refusals;

/// <summary>
/// The one mapping from a refused admission to its HTTP answer, for every API, the probe and the homepage: 400 with
/// the problem as plain text; 429 for the client's rate limit or its share; 503 when the tester is full. The last
/// three carry Retry-After and <c>no-store</c>, and come as a short page for people or one line of text for programs
/// (<see cref="BusyResponses"/>).
/// </summary>
public static class AdmissionResponses
{
    /// <summary>Null when <paramref name="admission"/> was admitted; else its answer.</summary>
    public static RefusalResult? Refusal(Admission admission)
    {
        ArgumentNullException.ThrowIfNull(admission);
        return admission.Refused is { } refused ? new RefusalResult(refused) : null;
    }

    /// <summary>The same answer from a Razor page handler.</summary>
    public static IActionResult ForPage(RefusalResult refusal) => new PageRefusal(refusal);

    /// <summary>Status and words for a capacity refusal; ours only, no request data in them.</summary>
    internal static (int Status, string Title, string Text) Describe(RefusalReason reason) => reason switch
    {
        RefusalReason.RateLimited => (StatusCodes.Status429TooManyRequests, "Too many tests from your address",
            "You have started a lot of tests in a short time. To keep the tester fair for everybody (and to avoid hammering other people's servers), each address gets a limited number."),
        RefusalReason.ClientShare => (StatusCodes.Status429TooManyRequests, "Your address has enough tests running",
            "Tests from your address are already running or waiting. Each address may have only a few at a time, so that nobody waits behind somebody else's long list; yours carry on meanwhile."),
        _ => (StatusCodes.Status503ServiceUnavailable, "The tester is busy", "Too many tests are running or waiting right now."),
    };

    private sealed class PageRefusal(RefusalResult refusal) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => refusal.ExecuteAsync(context.HttpContext);
    }
}

/// <summary>A refused admission as an endpoint result (see <see cref="AdmissionResponses"/>).</summary>
public sealed class RefusalResult(Refusal refused) : IResult, IEndpointMetadataProvider
{
    public Refusal Refused => refused;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (refused.Reason == RefusalReason.InvalidInput)
        {
            await TypedResults.Text(refused.Problem, "text/plain", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(httpContext);
            return;
        }
        var (status, title, text) = AdmissionResponses.Describe(refused.Reason);
        await BusyResponses.WriteAsync(httpContext, status, refused.RetryAfter, title, text, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(string), ["text/plain"]));
        }
    }
}
