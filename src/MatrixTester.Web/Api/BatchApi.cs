using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Refusals;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Api;

/// <summary>The body of <c>POST /api/v2/batch</c>.</summary>
public sealed record BatchRequest([property: JsonPropertyName("server_names")] IReadOnlyList<string?>? ServerNames);

/// <summary>
/// <c>POST /api/v2/batch</c>: several server names in one request, answered as newline-delimited JSON, one line per
/// distinct name as each finishes (<see cref="BatchLines"/>). Admitted as one request of N diagnoses
/// (<see cref="DiagnosisAdmission.AdmitBatch"/>): the whole batch is refused (400 or 429, problem details) before
/// anything runs, or every name gets its line.
/// </summary>
public static class BatchApi
{
    /// <summary>The largest body read: far more than the most names of the longest accepted length need in practice.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapBatch(this RouteGroupBuilder api)
    {
        api.MapPost("/batch", BatchAsync)
            .WithSummary("Test several server names; one JSON line per name (application/x-ndjson) as each finishes. Counted as one diagnosis per name.")
            .Accepts<BatchRequest>("application/json")
            .Produces<BatchLineDescription>(StatusCodes.Status200OK, "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    private static async Task<IResult> BatchAsync(DiagnosisAdmission admission, IOptions<SiteOptions> site, HttpContext context, CancellationToken cancellationToken)
    {
        var request = await ReadAsync(context.Request, cancellationToken);
        if (request is null)
        {
            return new ProblemRefusal(RefusalAnswer.Invalid($"Send a JSON object of at most {MaxBodyBytes} bytes: {{\"server_names\": [\"example.org\", \"example.com\"]}}"));
        }
        var (batch, refused) = admission.AdmitBatch(request.ServerNames, DiagnosisClient.Of(context));
        if (refused is not null)
        {
            return new ProblemRefusal(AdmissionAnswers.Describe(refused));
        }
        var response = context.Response;
        response.ContentType = "application/x-ndjson; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        // nginx buffers proxied responses by default, which would hold every line back until the last.
        response.Headers["X-Accel-Buffering"] = "no";
        var origin = site.Value.PublicUrl?.GetLeftPart(UriPartial.Path).TrimEnd('/') ?? "";
        await foreach (var outcome in batch!.RunAsync(cancellationToken))
        {
            await response.WriteAsync(BatchLines.Line(outcome, origin) + "\n", Encoding.UTF8, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
        return TypedResults.Empty;
    }

    /// <summary>The body as a batch request; null when it is too large or not a JSON object.</summary>
    private static async Task<BatchRequest?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return JsonSerializer.Deserialize<BatchRequest>(buffer.ToArray(), ReportJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One line of a batch answer.</summary>
public static class BatchLines
{
    public static string Line(BatchOutcome outcome, string origin)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Refused is { } refused)
        {
            var answer = AdmissionAnswers.Describe(refused);
            return new JsonObject
            {
                ["server_name"] = outcome.Name,
                ["error"] = new JsonObject
                {
                    ["status"] = answer.Status,
                    ["title"] = answer.Title,
                    ["detail"] = answer.Text,
                    ["retry_after"] = answer.RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null,
                },
            }.ToJsonString(ReportJson.Options);
        }
        var finished = outcome.Finished!;
        // Read from its stored form, as its permalink will be: the line says what the permalink says.
        var reading = ReportReading.Of(ReportJson.Read(finished.Result.Json) ?? finished.Report);
        var line = JsonSerializer.SerializeToNode(ReadingSummary.Of(reading), ReportJson.Options)!.AsObject();
        line["permalink"] = finished.PermalinkId is { } id ? $"{origin}/r/{id}" : null;
        line["result_id"] = finished.PermalinkId;
        if (finished.PermalinkId is null)
        {
            line["notice"] = FinishedDiagnosis.NotSavedNotice;
        }
        return line.ToJsonString(ReportJson.Options);
    }
}

/// <summary>The shape of a batch line, for the API description (lines are written by <see cref="BatchLines"/>).</summary>
public sealed record BatchLineDescription(
    [property: JsonPropertyName("server_name")] string ServerName,
    [property: JsonPropertyName("verdict")] string? Verdict,
    [property: JsonPropertyName("headline")] string? Headline,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("chips")] IReadOnlyList<ChipSummary>? Chips,
    [property: JsonPropertyName("problems")] IReadOnlyList<ProblemSummary>? Problems,
    [property: JsonPropertyName("permalink")] string? Permalink,
    [property: JsonPropertyName("result_id")] string? ResultId,
    [property: JsonPropertyName("error")] BatchLineError? Error);

/// <summary>Why one name of a batch did not run (the tester was full, or the client's share was taken).</summary>
public sealed record BatchLineError(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("retry_after")] int? RetryAfter);
