using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Refusals;
using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MatrixTester.Web.Api;

/// <summary>Our own API: the full v2 report, the live event stream and stored results, all in ReportJson's format.</summary>
public static class V2Api
{
    public static IEndpointRouteBuilder MapV2Api(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v2").AddEndpointFilter(Cors.Filter).WithTags("v2");
        api.MapGet("/report", ReportAsync).WithSummary("Run a diagnosis and return the full v2 report; the result is stored.")
            .Produces<DiagnosisReport>(StatusCodes.Status200OK, "application/json");
        api.MapGet("/stream", Stream).WithSummary("Run a diagnosis as server-sent events: queue (while waiting), notice, one per step, then permalink, then completed.");
        api.MapGet("/results/{id}", ResultAsync).WithSummary("A stored v2 report by permalink id.")
            .Produces<DiagnosisReport>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapBatch();
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemRefusal>> ReportAsync(
        string? server_name, string? fresh, DiagnosisAdmission admission, HttpContext context, CancellationToken cancellationToken)
    {
        var admitted = admission.Admit(server_name, fresh == "1", DiagnosisClient.Of(context));
        if (AdmissionAnswers.Problem(admitted) is { } refused)
        {
            return refused;
        }
        var finished = await admitted.FinishedAsync(cancellationToken);
        if (finished.PermalinkId is { } id)
        {
            SetNotice(context, admitted.Notice);
            context.Response.Headers.Location = $"/r/{id}";
            context.Response.Headers["X-Result-Id"] = id;
            return TypedResults.Text(LocalizedFindings.Add(finished.Result.Json), "application/json");
        }
        // Not saved: no permalink to point at; the header and a top-level "notice" field say why.
        SetNotice(context, admitted.Notice is { } reused ? $"{reused} {FinishedDiagnosis.NotSavedNotice}" : FinishedDiagnosis.NotSavedNotice);
        var body = LocalizedFindings.Add(JsonNode.Parse(finished.Result.Json)!).AsObject();
        body["notice"] = FinishedDiagnosis.NotSavedNotice;
        return TypedResults.Text(body.ToJsonString(ReportJson.Options), "application/json");
    }

    /// <summary>Header values must be printable ASCII; a notice may quote a hostile server_name.</summary>
    internal static void SetNotice(HttpContext context, string? notice)
    {
        if (notice is not null)
        {
            context.Response.Headers["X-Notice"] = string.Concat(notice.Select(c => c is >= ' ' and <= '~' ? c : '?'));
        }
    }

    private static Results<ServerSentEventsResult<string>, ProblemRefusal> Stream(
        string? server_name, string? fresh, DiagnosisAdmission admission, HttpContext context, CancellationToken cancellationToken)
    {
        var admitted = admission.Admit(server_name, fresh == "1", DiagnosisClient.Of(context));
        if (AdmissionAnswers.Problem(admitted) is { } refused)
        {
            return refused;
        }
        // nginx buffers proxied responses by default, which would hold every event back until the end.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(SharedStream.Events(admitted, cancellationToken));
    }

    internal static string Kind(DiagnosisEvent e) => e is CompletedEvent ? "completed" : e.Stage;

    private static async Task<Results<ContentHttpResult, NotFound<string>>> ResultAsync(string id, IResultStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } stored
            ? TypedResults.Text(LocalizedFindings.Add(stored.Json), "application/json")
            : TypedResults.NotFound("No stored result has this id.");
}

public sealed record PermalinkEvent(string Id, string Url);
