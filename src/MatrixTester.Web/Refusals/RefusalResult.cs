using System.Reflection;
using MatrixTester.Web.Diagnoses;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace MatrixTester.Web.Refusals;

/// <summary>
/// A refusal as an endpoint result, written in one <see cref="AnswerStyle"/>. Every refusal the site gives goes
/// through <see cref="WriteAsync"/>: the status; for 429 and 503 <c>Retry-After</c> (whole seconds) and
/// <c>no-store</c>; then the body the style calls for.
/// </summary>
public abstract class RefusalResult(RefusalAnswer answer, AnswerStyle style) : IResult
{
    public RefusalAnswer Answer => answer;

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, answer, style);

    public static async Task WriteAsync(HttpContext context, RefusalAnswer answer, AnswerStyle style)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(answer);
        var response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = DiagnosisRateLimit.Seconds(wait);
            response.Headers.CacheControl = "no-store";
        }
        if (style == AnswerStyle.Page)
        {
            // No body: the status code pages re-execute the error page, which shows this answer in the site's layout.
            context.Features.Set(answer);
            return;
        }
        // The compatible API's CORS header on every answer, so browser UIs built on it can read the message.
        response.Headers.AccessControlAllowOrigin = "*";
        if (style == AnswerStyle.Problem)
        {
            var extensions = answer.RetryAfter is { } retry ? new Dictionary<string, object?> { ["retryAfter"] = (int)Math.Ceiling(retry.TotalSeconds) } : null;
            await TypedResults.Problem(answer.Text, statusCode: answer.Status, title: answer.Title, extensions: extensions).ExecuteAsync(context);
            return;
        }
        // A 400's text is its whole body (the reference tester's "Missing server_name parameter"); a busy answer is one
        // line, its wait in seconds as in Retry-After.
        var text = answer.RetryAfter is { } seconds ? $"{answer.Title}. Please try again in {DiagnosisRateLimit.Seconds(seconds)} seconds.\n" : answer.Text;
        await TypedResults.Text(text, "text/plain; charset=utf-8", statusCode: answer.Status).ExecuteAsync(context);
    }

    private protected static void Declare(EndpointBuilder builder, Type body, string contentType)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, body, [contentType]));
        }
    }
}

/// <summary>A refusal as RFC 9457 problem details (<c>application/problem+json</c>), with <c>retryAfter</c> in seconds when there is a wait.</summary>
public sealed class ProblemRefusal(RefusalAnswer answer) : RefusalResult(answer, AnswerStyle.Problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, typeof(ProblemDetails), "application/problem+json");
}

/// <summary>A refusal as one line of text.</summary>
public sealed class TextRefusal(RefusalAnswer answer) : RefusalResult(answer, AnswerStyle.Text), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, typeof(string), "text/plain");
}

/// <summary>A refusal for people: the error page shows it (from a Razor page handler).</summary>
public sealed class PageRefusal(RefusalAnswer answer) : IActionResult
{
    public RefusalAnswer Answer => answer;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RefusalResult.WriteAsync(context.HttpContext, answer, AnswerStyle.Page);
    }
}
