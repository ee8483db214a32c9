using System.Text.Json;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Tests.ReportFormats;

public sealed class V2ReportTests
{
    private static string GoldenPath => Path.Combine(AppContext.BaseDirectory, "Reports", "Golden", "v2-sample-a.json");

    [Fact]
    public void The_v2_report_of_sample_A_matches_its_golden_file()
    {
        var json = JsonSerializer.Serialize(SampleReports.SampleA(), ReportJson.Indented).ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "../../../Reports/Golden/v2-sample-a.json"), json);
        }
        Assert.Equal(File.ReadAllText(GoldenPath).ReplaceLineEndings("\n").TrimEnd(), json.TrimEnd());
    }

    [Fact]
    public void A_stored_v2_report_reads_back_to_the_same_json()
    {
        var json = JsonSerializer.Serialize(SampleReports.SampleA(), ReportJson.Options);
        var back = JsonSerializer.Deserialize<DiagnosisReport>(json, ReportJson.Options)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, ReportJson.Options));
        Assert.Equal("192.0.2.10:443", back.Connections[1].Endpoint.Key);
        Assert.False(back.Verdict.FederationOk);
    }

    [Fact]
    public void Durations_are_milliseconds_and_enums_are_strings()
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(SampleReports.SampleA(), ReportJson.Options));
        var root = document.RootElement;
        Assert.Equal(3210, root.GetProperty("duration").GetDouble());
        Assert.Equal("Broken", root.GetProperty("verdict").GetProperty("status").GetString());
        Assert.Equal("WellKnownExplicitPort", root.GetProperty("discovery").GetProperty("endpoints")[0].GetProperty("step").GetString());
        Assert.False(root.GetProperty("verdict").GetProperty("ipv6").GetBoolean());
    }
}
