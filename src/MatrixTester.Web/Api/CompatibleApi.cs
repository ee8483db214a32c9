using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Refusals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MatrixTester.Web.Api;

/// <summary>
/// The matrix-org federation tester's API, drop-in compatible (README, "The compatible report"): same bodies, content
/// types, status codes and CORS headers, so existing UIs and <c>jq .FederationOK</c> scripts keep working.
/// </summary>
public static class CompatibleApi
{
    // Every method but GET: OPTIONS is the CORS preflight, the rest get the reference tester's 405.
    private static readonly string[] OtherMethods = ["OPTIONS", "HEAD", "POST", "PUT", "DELETE", "PATCH"];

    public static IEndpointRouteBuilder MapCompatibleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(Cors.Filter).WithTags("Compatible");
        api.MapGet("/report", ReportAsync).WithSummary("The federation tester's JSON report (Go-compatible).")
            .Produces<string>(StatusCodes.Status200OK, "application/json");
        api.MapGet("/federation-ok", FederationOkAsync).WithSummary("GOOD or BAD, as text/plain.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        api.MapMethods("/report", OtherMethods, OtherMethod).ExcludeFromDescription();
        api.MapMethods("/federation-ok", OtherMethods, OtherMethod).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<ContentHttpResult, TextRefusal>> ReportAsync(string? server_name, DiagnosisAdmission admission, HttpContext context, CancellationToken cancellationToken)
    {
        // The reference tester answers a missing name with a plain-text 400: the text style of the one mapping.
        var admitted = admission.Admit(server_name, fresh: false, DiagnosisClient.Of(context));
        if (AdmissionAnswers.Text(admitted) is { } refused)
        {
            return refused;
        }
        var finished = await admitted.FinishedAsync(cancellationToken);
        // Extra headers only (the body stays byte-compatible): the permalink of this run, for people who want the
        // details, or why there is none.
        if (finished.PermalinkId is { } id)
        {
            context.Response.Headers["X-Result-Id"] = id;
        }
        else
        {
            V2Api.SetNotice(context, FinishedDiagnosis.NotSavedNotice);
        }
        // An invalid name is still a 200 with the full shape and a top-level Error: the reference UI cannot read a 400.
        return TypedResults.Text(GoReportWriter.Write(finished.Report), "application/json");
    }

    private static async Task<Results<ContentHttpResult, TextRefusal>> FederationOkAsync(string? server_name, DiagnosisAdmission admission, HttpContext context, CancellationToken cancellationToken)
    {
        var admitted = admission.Admit(server_name, fresh: false, DiagnosisClient.Of(context));
        if (AdmissionAnswers.Text(admitted) is { } refused)
        {
            return refused;
        }
        var finished = await admitted.FinishedAsync(cancellationToken);
        return TypedResults.Text(finished.Report.Verdict.FederationOk ? "GOOD" : "BAD", "text/plain");
    }

    private static IResult OtherMethod(HttpContext context) =>
        HttpMethods.IsOptions(context.Request.Method)
            ? TypedResults.Ok()
            : TypedResults.Text("Unsupported method", "text/plain", statusCode: StatusCodes.Status405MethodNotAllowed);
}

/// <summary>The reference tester's CORS headers, on every API response including errors (browser UIs read them).</summary>
internal static class Cors
{
    public static ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "GET, POST, PUT, DELETE, OPTIONS";
        headers.AccessControlAllowHeaders = "Origin, X-Requested-With, Content-Type, Accept";
        return next(context);
    }
}
