using MatrixTester.Diagnostics;
using MatrixTester.Web.Api;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Refusals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MatrixTester.Web.Probe;

/// <summary>
/// <c>GET /probe?target=&lt;server_name&gt;</c>: a diagnosis as Prometheus metrics, in the style of the blackbox
/// exporter, so admins point their own Prometheus and Alertmanager at it. It is admitted exactly like
/// <c>/api/v2/report</c>, through <see cref="DiagnosisAdmission"/>: the same per-client bucket and share (429), the
/// same sharing of runs in flight and reuse window, the same queue (503 when full); every run is stored as a result
/// like any other.
/// </summary>
public static class ProbeEndpoint
{
    public static IEndpointRouteBuilder MapProbe(this IEndpointRouteBuilder app)
    {
        app.MapGet("/probe", ProbeAsync).WithTags("monitoring")
            .WithSummary("Diagnose target (a server name) and answer in the Prometheus text format, blackbox-exporter style.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return app;
    }

    private static async Task<Results<ContentHttpResult, TextRefusal>> ProbeAsync(string? target, DiagnosisAdmission admission, TimeProvider time,
        HttpContext context, CancellationToken cancellationToken)
    {
        // A bad target is a mistake in prometheus.yml: 400 makes the scrape fail (up == 0) instead of reporting a
        // server that looks broken. Two targets would reach the string joined with a comma nobody typed: say so.
        if (context.Request.Query["target"].Count is > 1 and var count)
        {
            return BadRequest($"target is given {count} times; a probe checks one server name: /probe?target=<server_name>");
        }
        if (string.IsNullOrWhiteSpace(target))
        {
            return BadRequest("Missing target parameter: /probe?target=<server_name>");
        }
        if (target.Length > admission.MaxInputLength)
        {
            return BadRequest($"target is too long ({target.Length} characters; at most {admission.MaxInputLength})");
        }
        if (!ServerName.TryParse(target, out var name, out var error))
        {
            return BadRequest($"target is not a valid server name: {error.Message}");
        }
        var admitted = admission.Admit(name.Text, fresh: false, DiagnosisClient.Of(context));
        if (AdmissionAnswers.Text(admitted) is { } refused)
        {
            return refused;
        }
        var finished = await admitted.FinishedAsync(cancellationToken);
        if (finished.PermalinkId is { } id)
        {
            context.Response.Headers["X-Result-Id"] = id;
        }
        else
        {
            // The metrics are as good without a permalink; the header says why there is none to follow.
            V2Api.SetNotice(context, FinishedDiagnosis.NotSavedNotice);
        }
        context.Response.Headers.CacheControl = "no-store";
        var age = time.GetUtcNow() - finished.Result.CreatedAt;
        return TypedResults.Text(ProbeMetrics.Write(finished.Report, age), PrometheusText.ContentType);
    }

    private static TextRefusal BadRequest(string message) => new(RefusalAnswer.Invalid(message));
}
