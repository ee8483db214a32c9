using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Abuse;
using MatrixTester.Web.Diagnoses;

namespace MatrixTester.Web.Api;

/// <summary>
/// The matrix-org federation tester's API, drop-in compatible (go-report-format.md §1.1): same bodies, content
/// types, status codes and CORS headers, so existing UIs and <c>jq .FederationOK</c> scripts keep working.
/// </summary>
public static class CompatibleApi
{
    // Every method but GET: OPTIONS is the CORS preflight, the rest get the reference tester's 405.
    private static readonly string[] OtherMethods = ["OPTIONS", "HEAD", "POST", "PUT", "DELETE", "PATCH"];

    public static IEndpointRouteBuilder MapCompatibleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(Cors.Filter).WithTags("Compatible");
        api.MapGet("/report", ReportAsync).WithSummary("The federation tester's JSON report (Go-compatible).");
        api.MapGet("/federation-ok", FederationOkAsync).WithSummary("GOOD or BAD, as text/plain.");
        api.MapMethods("/report", OtherMethods, OtherMethod).ExcludeFromDescription();
        api.MapMethods("/federation-ok", OtherMethods, OtherMethod).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReportAsync(string? server_name, ServerNameInput input, SharedDiagnoses shared, HttpContext context, CancellationToken cancellationToken)
    {
        if (input.Problem(server_name) is { } problem)
        {
            return TypedResults.Text(problem, "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }
        var admission = shared.Join(server_name!, fresh: false);
        if (admission.Run is not { } run)
        {
            return BusyResponses.Busy(context, admission.RetryAfter);
        }
        var finished = await run.Completion.WaitAsync(cancellationToken);
        // An extra header only (the body stays byte-compatible): the permalink of this run, for people who want the details.
        context.Response.Headers["X-Result-Id"] = finished.Stored.Id;
        // An invalid name is still a 200 with the full shape and a top-level Error: the reference UI cannot read a 400.
        return TypedResults.Text(GoReportWriter.Write(finished.Report), "application/json");
    }

    private static async Task<IResult> FederationOkAsync(string? server_name, ServerNameInput input, SharedDiagnoses shared, HttpContext context, CancellationToken cancellationToken)
    {
        if (input.Problem(server_name) is { } problem)
        {
            return TypedResults.Text(problem, "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }
        var admission = shared.Join(server_name!, fresh: false);
        if (admission.Run is not { } run)
        {
            return BusyResponses.Busy(context, admission.RetryAfter);
        }
        var finished = await run.Completion.WaitAsync(cancellationToken);
        return TypedResults.Text(finished.Report.Verdict.FederationOk ? "GOOD" : "BAD", "text/plain");
    }

    private static IResult OtherMethod(HttpContext context) =>
        HttpMethods.IsOptions(context.Request.Method)
            ? TypedResults.Ok()
            : TypedResults.Text("Unsupported method", "text/plain", statusCode: StatusCodes.Status405MethodNotAllowed);
}

/// <summary>The reference tester's CORS headers, on every API response including errors (its PR #5).</summary>
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
