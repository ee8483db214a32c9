using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Hosting;
using MatrixTester.Web.Permalinks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MatrixTester.Web.Api;

/// <summary>Our own API: the full v2 report, the live event stream and stored results, all in ReportJson's format.</summary>
public static class V2Api
{
    public static IEndpointRouteBuilder MapV2Api(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v2").AddEndpointFilter(Cors.Filter).WithTags("v2");
        api.MapGet("/report", ReportAsync).RequireRateLimiting(RateLimits.Diagnosis).WithSummary("Run a diagnosis and return the full v2 report; the result is stored.");
        api.MapGet("/stream", Stream).RequireRateLimiting(RateLimits.Diagnosis).WithSummary("Run a diagnosis as server-sent events: one per step, then permalink, then completed.");
        api.MapGet("/results/{id}", ResultAsync).WithSummary("A stored v2 report by permalink id.");
        return app;
    }

    private static async Task<Results<ContentHttpResult, BadRequest<string>>> ReportAsync(
        string? server_name, ServerNameInput input, DiagnosisRunner runner, HttpContext context, CancellationToken cancellationToken)
    {
        if (input.Problem(server_name) is { } problem)
        {
            return TypedResults.BadRequest(problem);
        }
        var finished = await runner.RunAsync(server_name!, cancellationToken);
        context.Response.Headers.Location = $"/r/{finished.Stored.Id}";
        context.Response.Headers["X-Result-Id"] = finished.Stored.Id;
        return TypedResults.Text(finished.Stored.Json, "application/json");
    }

    private static Results<ServerSentEventsResult<string>, BadRequest<string>> Stream(
        string? server_name, ServerNameInput input, DiagnosisRunner runner, HttpContext context, CancellationToken cancellationToken)
    {
        if (input.Problem(server_name) is { } problem)
        {
            return TypedResults.BadRequest(problem);
        }
        // nginx buffers proxied responses by default, which would hold every event back until the end.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Events(server_name!, runner, cancellationToken));
    }

    /// <summary>
    /// Each event as one JSON line, typed by its kind. Before "completed", a "permalink" event carries the stored
    /// result's id and URL, so a client that closes on "completed" (as the docs suggest) already has it.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> Events(string input, DiagnosisRunner runner, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (e, stored) in runner.StreamAsync(input, cancellationToken))
        {
            if (stored is not null)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new PermalinkEvent(stored.Id, $"/r/{stored.Id}"), ReportJson.Options), "permalink");
            }
            yield return new SseItem<string>(JsonSerializer.Serialize(e, ReportJson.Options), Kind(e));
        }
    }

    private static string Kind(DiagnosisEvent e) => e is CompletedEvent ? "completed" : e.Stage;

    private static async Task<Results<ContentHttpResult, NotFound<string>>> ResultAsync(string id, IResultStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } stored
            ? TypedResults.Text(stored.Json, "application/json")
            : TypedResults.NotFound("No stored result has this id.");
}

public sealed record PermalinkEvent(string Id, string Url);
