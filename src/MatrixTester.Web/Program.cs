using MatrixTester.Web;
using MatrixTester.Web.Abuse;
using MatrixTester.Web.Api;
using MatrixTester.Web.Badges;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Docs;
using MatrixTester.Web.Federation;
using MatrixTester.Web.History;
using MatrixTester.Web.Hosting;
using MatrixTester.Web.Monitoring;
using MatrixTester.Web.Pages;
using MatrixTester.Web.Probe;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Watches;

// Composition only: each feature owns an AddX() for its services and a MapX() for its endpoints.
var builder = WebApplication.CreateBuilder(args);

builder.AddSiteLogging();
builder.Services.AddSiteOptions();
builder.Services.AddDiagnosisEngine();
builder.Services.AddStorage();
builder.Services.AddExceptionHandler<MatrixTester.Web.Refusals.StoreOutageResponses>();
builder.Services.AddSiteDataProtection();
builder.Services.AddDocs();
builder.Services.AddDiagnosisRunner();
builder.Services.AddAbuseLimits();
builder.Services.AddSiteMetrics();
builder.Services.AddSitePages();
builder.Services.AddHistory();
builder.Services.AddWatches();
builder.Services.AddFederation();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseSiteRoots();
app.UseClientAddress();
app.UseProbeOwner();
app.UseSiteRequestLogging();
app.UseExceptionHandler("/error");
app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
app.UseSecurityHeaders();
app.UseStaticFiles();
// Before routing, so a cached docs page costs about what a static file does.
app.UseOutputCache();
app.UseRouting();
// After routing: endpoints that create a watch or serve federation requests declare their limit; diagnoses are
// counted where they are admitted, whatever the door.
app.UseEndpointRateLimits();

app.MapCompatibleApi();
app.MapV2Api();
app.MapOpenApi();
app.MapHealthChecks("/healthz");
app.MapSiteMetrics();
app.MapHistory();
app.MapWatches();
app.MapProbe();
app.MapBadge();
app.MapFederation();
app.MapRazorPages();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
