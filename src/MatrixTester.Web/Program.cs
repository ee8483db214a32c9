using MatrixTester.Web.Abuse;
using MatrixTester.Web.Api;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Docs;
using MatrixTester.Web.Hosting;
using MatrixTester.Web.Monitoring;
using MatrixTester.Web.Permalinks;
using MatrixTester.Web.Watches;

// Composition only: each feature owns an AddX() for its services and a MapX() for its endpoints.
var builder = WebApplication.CreateBuilder(args);

builder.AddSerilogConsole();
builder.Services.AddSiteOptions();
builder.Services.AddDiagnosisEngine();
builder.Services.AddResultStore();
builder.Services.AddDocs();
// Docs pages are the same for everyone until the next deploy: serve them from memory.
builder.Services.AddOutputCache(options =>
{
    options.UseCaseSensitivePaths = true; // slugs are lower-case only; /docs/Overview stays a 404
    options.AddBasePolicy(policy => policy.With(c => c.HttpContext.Request.Path.StartsWithSegments("/docs")).Expire(TimeSpan.FromMinutes(10)));
});
builder.Services.AddDiagnosisRunner();
builder.Services.AddAbuseLimits();
builder.Services.AddSiteMetrics();
builder.Services.AddWatches();
// Every form is a GET that changes nothing, so there is no antiforgery token to check.
builder.Services.AddRazorPages(options => options.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryTokenAttribute()));
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseSiteRoots();
app.UseClientAddress();
app.UseRequestLogging();
app.UseExceptionHandler("/error");
app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
app.UseSecurityHeaders();
app.UseStaticFiles();
// Before routing, so a cached docs page costs about what a static file does.
app.UseOutputCache();
app.UseDiagnosisRateLimit();
app.UseWatchRateLimit();
app.UseRouting();

app.MapCompatibleApi();
app.MapV2Api();
app.MapOpenApi();
app.MapHealthChecks("/healthz");
app.MapSiteMetrics();
app.MapWatches();
app.MapRazorPages();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
