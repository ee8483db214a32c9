using MatrixTester.Web.Abuse;
using MatrixTester.Web.Api;
using MatrixTester.Web.Badges;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Docs;
using MatrixTester.Web.Exports;
using MatrixTester.Web.Federation;
using MatrixTester.Web.History;
using MatrixTester.Web.Hosting;
using MatrixTester.Web.Monitoring;
using MatrixTester.Web.Pages;
using MatrixTester.Web.Probe;
using MatrixTester.Web.Refusals;
using MatrixTester.Web.Statistics;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Watches;

// Composition only: each part owns an AddX() for its services and a UseX()/MapX() for its middleware and endpoints.
// The layers they form are in README.md beside this file.
SiteStart.ReportInvalidSettings();
var builder = WebApplication.CreateBuilder(args);

builder.AddSiteLogging();
builder.Services.AddSiteOptions();
builder.Services.AddSiteLanguages();
builder.Services.AddStorage();
builder.Services.AddSiteDataProtection();
builder.Services.AddDiagnosisEngine();
builder.Services.AddDiagnoses();
builder.Services.AddSiteMetrics();
builder.Services.AddRefusals();
builder.Services.AddDocs();
builder.Services.AddSitePages();
builder.Services.AddHistory();
builder.Services.AddStatistics();
builder.Services.AddWatches();
builder.Services.AddFederation();
builder.Services.AddSiteApi();
// One output cache; the docs and the feeds each add their policy to it.
builder.Services.AddOutputCache();

var app = builder.Build().CheckSettings();

app.UseSiteRoots();
app.UseClientAddress();
app.UseProbeOwner();
app.UseSiteRequestLogging();
// Before the error pages and the output cache: both depend on the visitor's language.
app.UseSiteLanguages();
app.UseRefusalPages();
app.UseSecurityHeaders();
app.UseStaticFiles();
// Before routing, so a cached docs page costs about what a static file does.
app.UseOutputCache();
app.UseRouting();
// After routing: endpoints that create a watch, read history or serve federation requests declare their limit;
// diagnoses are counted where they are admitted, whatever the door.
app.UseEndpointRateLimits();

app.MapCompatibleApi();
app.MapV2Api();
app.MapSiteApiDescription();
app.MapHealthChecks("/healthz");
app.MapSiteMetrics();
app.MapHistory();
app.MapWatches();
app.MapProbe();
app.MapBadge();
app.MapExports();
app.MapFederation();
app.MapRazorPages();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
