using System.Text.Json;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;

namespace MatrixTester.Diagnostics.Tests.Timing;

/// <summary>The v2 report places every DNS query and every TLS connection on the diagnosis' time axis.</summary>
public sealed class TimelineFieldsTests : LabTest
{
    [Fact]
    public async Task Dns_queries_and_tls_connections_record_when_they_started()
    {
        await new LabServer(Lab).StartAsync();
        var run = await Lab.DiagnoseAsync("example.test");
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(run.Report, ReportJson.Options));
        var root = document.RootElement;
        var total = root.GetProperty("duration").GetDouble();

        var lookups = root.GetProperty("discovery").GetProperty("addressLookups").EnumerateArray().ToList();
        Assert.NotEmpty(lookups);
        Assert.All(lookups, l => Assert.InRange(l.GetProperty("startedAt").GetDouble(), 0, total));

        var tls = Assert.Single(root.GetProperty("connections").EnumerateArray()).GetProperty("tls");
        var tlsStart = tls.GetProperty("startedAt").GetDouble();
        Assert.InRange(tlsStart, 0, total);
        // The connection starts after the address it dials was known.
        Assert.True(tlsStart >= lookups.Min(l => l.GetProperty("startedAt").GetDouble()));
    }
}
