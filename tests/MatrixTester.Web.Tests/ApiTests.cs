using System.Net;
using System.Text.Json;
using MatrixTester.Diagnostics.Reports;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace MatrixTester.Web.Tests;

/// <summary>The federation-tester compatible API (README, "The compatible report") and our v2 API, against the lab.</summary>
public sealed class ApiTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private readonly HttpClient _client = fixture.Site.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertCors(HttpResponseMessage response)
    {
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET, POST, PUT, DELETE, OPTIONS", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("Origin, X-Requested-With, Content-Type, Accept", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
    }

    [Fact]
    public async Task Report_has_the_go_top_level_shape_for_a_lab_server()
    {
        using var response = await _client.GetAsync($"/api/report?server_name={SiteFixture.Good}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        AssertCors(response);
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(body);
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["WellKnownResult", "DNSResult", "ConnectionReports", "ConnectionErrors", "Version", "FederationOK"], keys);
        Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("ConnectionReports").ValueKind);
        Assert.Contains("\n  \"", body, StringComparison.Ordinal); // pretty-printed like Go's json.Indent
    }

    [Theory]
    [InlineData(SiteFixture.Good)]
    [InlineData(SiteFixture.Missing)]
    [InlineData("bad name")]
    public async Task Report_body_is_exactly_the_engine_Go_writer_output_for_the_same_diagnosis(string name)
    {
        using var response = await _client.GetAsync("/api/report?server_name=" + Uri.EscapeDataString(name), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var id = response.Headers.GetValues("X-Result-Id").Single();
        // The same run, stored as v2 JSON: mapping it again must give the same bytes.
        var stored = JsonSerializer.Deserialize<DiagnosisReport>(await _client.GetStringAsync($"/api/v2/results/{id}", Ct), ReportJson.Options)!;
        Assert.Equal(GoReportWriter.Write(stored), body);
    }

    [Fact]
    public async Task Report_for_an_invalid_name_is_200_with_Error()
    {
        using var response = await _client.GetAsync("/api/report?server_name=" + Uri.EscapeDataString("https://example.org"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.StartsWith("Invalid server name", json.RootElement.GetProperty("Error").GetString(), StringComparison.Ordinal);
        Assert.False(json.RootElement.GetProperty("FederationOK").GetBoolean());
    }

    [Theory]
    [InlineData("/api/report")]
    [InlineData("/api/report?server_name=")]
    [InlineData("/api/federation-ok")]
    [InlineData("/api/federation-ok?server_name=")]
    public async Task A_missing_server_name_is_400_with_the_reference_message_and_CORS(string url)
    {
        using var response = await _client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Missing server_name parameter", await response.Content.ReadAsStringAsync(Ct));
        AssertCors(response);
    }

    [Fact]
    public async Task Federation_ok_answers_BAD_as_plain_text_with_200()
    {
        using var response = await _client.GetAsync($"/api/federation-ok?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("BAD", await response.Content.ReadAsStringAsync(Ct));
        AssertCors(response);
    }

    [Fact]
    public async Task Federation_ok_agrees_with_the_v2_verdict_for_the_healthy_lab_server()
    {
        var text = await _client.GetStringAsync($"/api/federation-ok?server_name={SiteFixture.Good}", Ct);
        using var v2 = JsonDocument.Parse(await _client.GetStringAsync($"/api/v2/report?server_name={SiteFixture.Good}", Ct));
        Assert.Equal(v2.RootElement.GetProperty("verdict").GetProperty("federationOk").GetBoolean() ? "GOOD" : "BAD", text);
    }

    [Theory]
    [InlineData("/api/report")]
    [InlineData("/api/federation-ok")]
    public async Task Options_is_an_empty_200_and_other_methods_are_405(string path)
    {
        using var options = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Options, path), Ct);
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.Equal("", await options.Content.ReadAsStringAsync(Ct));
        AssertCors(options);
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
        {
            using var response = await _client.SendAsync(new HttpRequestMessage(method, path + "?server_name=x.test"), Ct);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            Assert.Equal("Unsupported method", await response.Content.ReadAsStringAsync(Ct));
            AssertCors(response);
        }
    }

    [Theory]
    [InlineData("/api/report")]
    [InlineData("/api/federation-ok")]
    [InlineData("/api/v2/report")]
    [InlineData("/api/v2/stream")]
    public async Task Over_long_input_is_400_everywhere(string path)
    {
        using var response = await _client.GetAsync($"{path}?server_name={new string('a', 1025)}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too long", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V2_report_is_our_json_and_is_stored_under_its_result_id()
    {
        using var response = await _client.GetAsync($"/api/v2/report?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCors(response);
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(2, json.RootElement.GetProperty("version").GetInt32());
        Assert.Equal("Broken", json.RootElement.GetProperty("verdict").GetProperty("status").GetString());
        Assert.NotEmpty(json.RootElement.GetProperty("findings").EnumerateArray());
        var id = response.Headers.GetValues("X-Result-Id").Single();
        Assert.Equal(body, await _client.GetStringAsync($"/api/v2/results/{id}", Ct));
    }

    [Fact]
    public async Task V2_missing_name_is_400_and_unknown_result_is_404()
    {
        using var missing = await _client.GetAsync("/api/v2/report", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var unknown = await _client.GetAsync("/api/v2/results/AAAAAAAAAAAAAAAAAAAAAAAA", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var junk = await _client.GetAsync("/api/v2/results/%27%20OR%201%3D1", Ct);
        Assert.Equal(HttpStatusCode.NotFound, junk.StatusCode);
    }

    [Fact]
    public async Task Each_client_address_gets_a_budget_of_diagnoses_per_minute()
    {
        using var limited = fixture.Site.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { ["Abuse:RateLimit:TokenLimit"] = "2", ["Abuse:RateLimit:TokensPerPeriod"] = "1", ["Abuse:RateLimit:ReplenishmentPeriod"] = "00:10:00" })));
        var client = limited.CreateClient();
        foreach (var url in new[] { "/api/federation-ok", "/api/v2/report" })
        {
            using var ok = await client.GetAsync($"{url}?server_name={SiteFixture.Missing}", Ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await client.GetAsync($"/api/report?server_name={SiteFixture.Missing}", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many tests", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // Pages and results that run nothing stay available.
        using var docs = await client.GetAsync("/docs", Ct);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_endpoints()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json", Ct));
        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/report", paths);
        Assert.Contains("/api/federation-ok", paths);
        Assert.Contains("/api/v2/stream", paths);
        Assert.Contains("/api/v2/results/{id}", paths);
    }

    [Fact]
    public async Task The_OpenAPI_document_gives_the_v2_reports_schema_its_refusals_and_the_required_name()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json", Ct));
        var paths = json.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v2/report", "/api/v2/results/{id}" })
        {
            var ok = Response(paths, path, "200").GetProperty("application/json").GetProperty("schema");
            Assert.Equal("#/components/schemas/DiagnosisReport", ok.GetProperty("$ref").GetString());
        }
        foreach (var status in new[] { "400", "429", "503" })
        {
            Assert.Equal("#/components/schemas/ProblemDetails", Response(paths, "/api/v2/report", status).GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
            Assert.True(Response(paths, "/api/report", status).TryGetProperty("text/plain", out _), $"/api/report {status}");
        }
        Assert.Equal("#/components/schemas/ProblemDetails", Response(paths, "/api/v2/results/{id}", "503").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        foreach (var (path, parameter) in new[] { ("/api/report", "server_name"), ("/api/federation-ok", "server_name"), ("/api/v2/report", "server_name"), ("/api/v2/stream", "server_name"), ("/probe", "target") })
        {
            var declared = paths.GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == parameter);
            Assert.True(declared.GetProperty("required").GetBoolean(), $"{path}: {parameter}");
        }

        // The schema names every member a real report has, with durations as the milliseconds it carries.
        var schema = json.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("DiagnosisReport").GetProperty("properties");
        using var report = JsonDocument.Parse(await _client.GetStringAsync($"/api/v2/report?server_name={SiteFixture.Good}", Ct));
        var members = report.RootElement.EnumerateObject().Select(m => m.Name).ToArray();
        Assert.Contains("verdict", members);
        Assert.All(members, m => Assert.True(schema.TryGetProperty(m, out _), $"the schema lacks {m}"));
        Assert.Equal(JsonValueKind.Number, report.RootElement.GetProperty("duration").ValueKind);
        Assert.Equal("number", schema.GetProperty("duration").GetProperty("type").GetString());
    }

    private static JsonElement Response(JsonElement paths, string path, string status) =>
        paths.GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty(status).GetProperty("content");

    [Theory]
    [InlineData("/api/report", "text/plain", "Missing server_name parameter")]
    [InlineData("/api/federation-ok", "text/plain", "Missing server_name parameter")]
    [InlineData("/api/v2/report", "application/problem+json", "Missing server_name parameter")]
    [InlineData("/api/v2/stream", "application/problem+json", "Missing server_name parameter")]
    [InlineData("/probe", "text/plain", "Missing target parameter: /probe?target=<server_name>")]
    public async Task Every_door_answers_a_missing_name_with_one_400_in_its_style(string path, string contentType, string problem)
    {
        using var response = await _client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        if (contentType == "text/plain")
        {
            Assert.Equal(problem, body);
            return;
        }
        using var details = JsonDocument.Parse(body);
        Assert.Equal(400, details.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(problem, details.RootElement.GetProperty("detail").GetString());
        Assert.False(details.RootElement.TryGetProperty("retryAfter", out _));
    }
}
