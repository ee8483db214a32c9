using System.Text;
using System.Text.Json;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab.Hosts;

namespace MatrixTester.Diagnostics.Tests.Budget;

/// <summary>
/// A server that pads every field to its limit with '&lt;' on eight addresses (<see cref="LabFatServer"/>): each
/// string is capped where it entered, so the whole report stays under the ceiling without trimming anything, and
/// keeps its verdict.
/// </summary>
[Collection("hostile")]
public sealed class FatServerTests : LabTest
{
    private const string Name = "fat.fatlab.test";

    private async Task<DiagnosisReport> DiagnoseAsync()
    {
        await LabFatServer.StartAsync(Lab, "fatlab.test", [Name]);
        return (await Lab.DiagnoseAsync(Name)).Report;
    }

    private static string Cut(int kept, int total) => new string(LabFatServer.Pad, kept) + $"… ({total - kept} bytes more)";

    [Fact]
    public async Task The_report_of_a_fat_server_on_eight_addresses_fits_the_ceiling_by_its_caps_alone()
    {
        var report = await DiagnoseAsync();
        var json = JsonSerializer.Serialize(report, ReportJson.Options);

        Assert.Equal(LabFatServer.Addresses, report.Connections.Count);
        Assert.InRange(Encoding.UTF8.GetByteCount(json), 1, ReportBudget.DefaultMaxBytes);
        Assert.Null(report.Trimmed);
        // Its warnings are about its client files, which have their own verdict.
        Assert.Equal(VerdictStatus.Works, report.Verdict.Status);
        Assert.True(report.Verdict.FederationOk);
        // '<' is stored as itself, not as the six bytes of \u003C.
        Assert.DoesNotContain("\\u003C", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(new string('<', 100), json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_padded_field_is_cut_where_it_entered_and_says_how_much_was_left_out()
    {
        var report = await DiagnoseAsync();
        var connection = report.Connections[0];
        const string versionPrefix = "{\"server\":{\"version\":\"1.0\",\"name\":\"";
        Assert.Equal(Cut(ReportText.Name, LabFatServer.ClientBytes - versionPrefix.Length - "\"}}".Length), connection.Version!.Name);

        var keys = connection.Keys!;
        Assert.True(keys.HasValidSelfSignature);
        Assert.EndsWith($"… ({LabFatServer.KeyBytes - ReportText.KeyResponse} bytes more)", keys.RawBody, StringComparison.Ordinal);
        Assert.Equal(ServerKeyChecker.MaxReportedKeys, keys.OldVerifyKeys.Count);
        Assert.All(keys.OldVerifyKeys, k => Assert.Equal(k.Key, k.Value.KeyId));
        Assert.All(keys.OldVerifyKeys.Keys, id => Assert.EndsWith(" bytes more)", id, StringComparison.Ordinal));

        foreach (var exchange in connection.Requests.Concat(report.Discovery!.WellKnown.Attempts.SelectMany(a => a.Requests)))
        {
            // 64 padded header fields came; the ones the engine reads and at most 2 KiB of the others stayed.
            Assert.Equal("application/json", exchange.Headers["content-type"]);
            Assert.InRange(exchange.Headers.Count(h => h.Key.StartsWith("x-pad-", StringComparison.Ordinal)), 1, 8);
            Assert.InRange(exchange.Headers.Where(h => h.Key != "content-type").Sum(h => h.Key.Length + Encoding.UTF8.GetByteCount(h.Value)), 1, 2048);
            Assert.All(exchange.Headers.Values.Where(v => v.StartsWith('<')), v => Assert.Equal(Cut(ReportText.Name, LabFatServer.HeaderValueLength), v));
            Assert.EndsWith(" bytes more)", exchange.BodyStart, StringComparison.Ordinal);
        }
        Assert.Equal(Diagnostics.Client.ClientDocuments.MaxContacts, report.Client!.SupportContacts.Count);
        Assert.All(report.Findings, f => Assert.InRange(Encoding.UTF8.GetByteCount(f.Summary), 1, ReportText.Line + 32));
    }

    [Fact]
    public async Task The_compatible_report_leaves_out_a_key_response_it_only_has_in_part()
    {
        var report = await DiagnoseAsync();
        using var go = JsonDocument.Parse(GoReportWriter.Write(report));
        var connections = go.RootElement.GetProperty("ConnectionReports").EnumerateObject().ToList();

        Assert.Equal(LabFatServer.Addresses, connections.Count);
        Assert.All(connections, c => Assert.Equal(JsonValueKind.Null, c.Value.GetProperty("Keys").ValueKind));
        Assert.All(connections, c => Assert.True(c.Value.GetProperty("Checks").GetProperty("AllChecksOK").GetBoolean()));
    }
}
