using System.Net;
using System.Text;
using System.Text.Json;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab.Hosts;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests;

/// <summary>
/// A hostile server that pads every field with '&lt;' to the tester's limits on eight addresses: the v2 report, the
/// stored row, the compatible report and the permalink page each stay under the report ceiling, and the page shows
/// the padding as text.
/// </summary>
public sealed class FatServerTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private const string Name = "fat.fatweb.test";
    private static readonly SemaphoreSlim Once = new(1, 1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Id, byte[] Body)> DiagnoseAsync(HttpClient client)
    {
        await Once.WaitAsync(Ct);
        try
        {
            if (fixture.Lab.Zone.Find(Name) is null)
            {
                await LabFatServer.StartAsync(fixture.Lab, "fatweb.test", [Name]);
            }
        }
        finally
        {
            Once.Release();
        }
        using var response = await client.GetAsync($"/api/v2/report?server_name={Name}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.GetValues("X-Result-Id").Single(), await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task The_report_the_stored_row_and_the_permalink_page_of_a_fat_server_stay_under_the_ceiling()
    {
        var client = fixture.Site.CreateClient();
        var (id, body) = await DiagnoseAsync(client);

        Assert.InRange(body.Length, 1, ReportBudget.DefaultMaxBytes);
        using var report = JsonDocument.Parse(body);
        Assert.Equal(LabFatServer.Addresses, report.RootElement.GetProperty("connections").GetArrayLength());
        // Its warnings are about its client files, which have their own verdict.
        Assert.Equal("Works", report.RootElement.GetProperty("verdict").GetProperty("status").GetString());

        var stored = await fixture.Site.Services.GetRequiredService<IResultStore>().GetAsync(id, Ct);
        Assert.Equal(body, Encoding.UTF8.GetBytes(stored!.Json));
        Assert.Equal(body, await client.GetByteArrayAsync($"/api/v2/results/{id}", Ct));

        var html = await client.GetByteArrayAsync($"/r/{id}", Ct);
        Assert.InRange(html.Length, 1, ReportBudget.DefaultMaxBytes);
        Assert.InRange((await client.GetByteArrayAsync($"/api/report?server_name={Name}", Ct)).Length, 1, ReportBudget.DefaultMaxBytes);
    }

    [Fact]
    public async Task The_page_shows_the_padding_as_text_and_says_where_it_stopped_showing_details()
    {
        var client = fixture.Site.CreateClient();
        var (id, _) = await DiagnoseAsync(client);

        var page = await client.GetDocumentAsync($"/r/{id}");
        var report = page.QuerySelector("#report")!;
        // Eight addresses of padded details are more than a page shows: it leaves out what does not fit, says where it
        // is, and injects nothing.
        Assert.Contains(new string('<', 200), report.TextContent, StringComparison.Ordinal);
        // The tables fit; the raw JSON of every part does not: those disclosures say where the whole JSON is.
        var omitted = page.QuerySelectorAll("details.raw-json .raw-omitted");
        Assert.NotEmpty(omitted);
        Assert.All(omitted, o => Assert.Equal("Too long to show on this page; the JSON report has it.", o.TextContent));
        Assert.All(omitted, o => Assert.Equal($"/api/v2/results/{id}", o.QuerySelector("a")!.GetAttribute("href")));
        Assert.Empty(report.QuerySelectorAll("script, iframe, img"));
        Assert.Equal(8, report.QuerySelectorAll("details.detail-block[id^=detail-conn-]").Length);
    }
}
