using System.Text.Json;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Tests.Reading;

/// <summary>
/// Every surface reads a stored report back into the engine's records, so a report must survive the trip byte for
/// byte: serialised, read, serialised again. Reports stored by earlier versions, with fewer fields, must still read.
/// </summary>
public sealed class ReportRoundTripTests : LabTest
{
    public static TheoryData<string> Scenarios => ["healthy", "client API refused", "no support file", "time limit", "expired certificate", "invalid name", "calls and login"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_lab_report_reads_back_to_the_same_bytes(string scenario)
    {
        var name = "example.test";
        Action<DiagnosisOptions>? configure = null;
        switch (scenario)
        {
            case "healthy": await ReadingLab.HealthyAsync(Lab); break;
            case "client API refused": await ReadingLab.ClientApiRefusedAsync(Lab); break;
            case "no support file": await ReadingLab.NoSupportFileAsync(Lab); break;
            case "expired certificate": await ReadingLab.ExpiredCertificateAsync(Lab); break;
            case "calls and login":
                name = (await new MatrixTester.Lab.Calls.LabCallsServer(Lab, "calls.example.test") { ServiceFault = MatrixTester.Lab.Calls.RtcServiceFault.DuplicatedCors }.StartAsync()).ServerName;
                break;
            case "time limit":
                await ReadingLab.TricklingWellKnownAsync(Lab);
                configure = o => (o.OverallDeadline, o.RequestTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
                break;
            default: name = "https://example.test"; break;
        }
        var report = (await Lab.DiagnoseAsync(name, configure)).Report;

        var json = JsonSerializer.Serialize(report, ReportJson.Options);
        var back = ReportJson.Read(json);
        Assert.NotNull(back);
        Assert.Equal(json, JsonSerializer.Serialize(back, ReportJson.Options));
        // And it reads the same: the reading of the stored report is the reading of the fresh one.
        var fresh = ReportReading.Of(report);
        var stored = ReportReading.Of(back);
        Assert.Equal((fresh.Run, fresh.Federation, fresh.Clients, fresh.TwoWay), (stored.Run, stored.Federation, stored.Clients, stored.TwoWay));
        Assert.Equal((fresh.Calls?.State, fresh.Calls?.Errors, fresh.Calls?.TokenCheck, fresh.Login), (stored.Calls?.State, stored.Calls?.Errors, stored.Calls?.TokenCheck, stored.Login));
        Assert.Equal(fresh.Pending, stored.Pending);
        Assert.Equal(Checklist.Of(fresh).All, Checklist.Of(stored).All);
    }

    [Theory]
    [InlineData("v2-before-two-way.json")]
    [InlineData("v2-before-size-caps.json")]
    public void A_report_stored_by_an_earlier_version_still_reads(string file)
    {
        // Sample A as earlier versions stored it: no twoWay section (the first), the key response also as parsed JSON
        // and every '<', '"' and '+' escaped (both). Example.org on IPv4 works; its IPv6 address timed out.
        var report = ReportJson.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reading", "Stored", file)));
        Assert.NotNull(report);
        var reading = ReportReading.Of(report);
        Assert.Equal(RunOutcome.Complete, reading.Run);
        Assert.Equal(FederationState.Broken, reading.Federation.State);
        Assert.Equal((FamilyState.Works, FamilyState.Broken), (reading.Federation.IPv4, reading.Federation.IPv6));
        var addresses = Checklist.Of(reading).Addresses;
        Assert.Equal(["[2001:db8::10]:443", "192.0.2.10:443"], addresses.Select(a => a.Key));
        Assert.All(addresses[1].Checks, c => Assert.Equal(CheckState.Passed, c.State));
        Assert.True(report.Connections[1].Keys!.HasValidSelfSignature);
        // Stored before the calls and login checks: neither verdict, no chip, no checklist line; nothing invented.
        Assert.Null(reading.Calls);
        Assert.Null(reading.Login);
        Assert.DoesNotContain(Diagnostics.Reading.Words.VerdictWords.Chips(reading), c => c.Key is "calls" or "login" or "token-check");
        Assert.Empty(Checklist.Of(reading).CallsAndLogin);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"version\": 2}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"input\": \"x\", \"startedAt\": \"yesterday\"}")]
    public void Text_that_is_not_a_report_reads_as_none(string json) => Assert.Null(ReportJson.Read(json));
}
