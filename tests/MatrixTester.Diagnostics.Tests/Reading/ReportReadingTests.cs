using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;

namespace MatrixTester.Diagnostics.Tests.Reading;

/// <summary>What the reading decides for lab servers that each break one thing, and that each verdict counts only its own findings.</summary>
public sealed class ReportReadingTests : LabTest
{
    private async Task<ReportReading> ReadAsync(string serverName, Action<DiagnosisOptions>? configure = null) =>
        ReportReading.Of((await Lab.DiagnoseAsync(serverName, configure)).Report);

    [Fact]
    public async Task A_healthy_server_works_everywhere_with_nothing_counted()
    {
        await ReadingLab.HealthyAsync(Lab);
        var reading = await ReadAsync("example.test");
        Assert.Equal(RunOutcome.Complete, reading.Run);
        Assert.Equal(new FederationVerdict(FederationState.Works, 0, 0, FamilyState.Works, FamilyState.NoAddress, true), reading.Federation);
        Assert.Equal(new ClientsVerdict(ClientsState.Works, 0, 0, SupportState.Published), reading.Clients);
        Assert.Empty(reading.Pending);
        var checklist = Checklist.Of(reading);
        Assert.All(checklist.All.Except(checklist.CallsAndLogin), line => Assert.Equal(CheckState.Passed, line.State));
        // No call infrastructure and the classic login API: choices, shown as notes.
        Assert.Equal([(CheckItem.Calls, CheckState.Note), (CheckItem.Login, CheckState.Note)], checklist.CallsAndLogin.Select(l => (l.Item, l.State)));
        Assert.Equal("1 contact published", checklist.Clients.Single(l => l.Item == CheckItem.Support).Text);
        Assert.Equal("Synapse 1.140.0", checklist.Addresses.Single().Checks.Single(c => c.Item == CheckItem.Version).Text);
    }

    [Fact]
    public async Task A_refused_client_API_breaks_clients_and_leaves_federation_working_with_nothing_in_its_count()
    {
        await ReadingLab.ClientApiRefusedAsync(Lab);
        var reading = await ReadAsync("example.test");
        Assert.Contains(reading.Report.Findings, f => f.Id == "client.base_url_unreachable" && f.Severity == Severity.Error);
        Assert.Equal(new FederationVerdict(FederationState.Works, 0, 0, FamilyState.Works, FamilyState.NoAddress, true), reading.Federation);
        Assert.Equal(ClientsState.Broken, reading.Clients.State);
        Assert.Equal(1, reading.Clients.Errors);
        Assert.Equal("0 errors, 0 warnings", VerdictWords.Pill(reading.Federation));
        Assert.Equal("Federation works", VerdictWords.Headline(reading.Federation.State));
        var chip = Assert.Single(VerdictWords.Chips(reading), c => c.Key == "clients");
        Assert.Equal(("broken", Tone.Bad), (chip.Value, chip.Tone));
        Assert.Equal(CheckState.Failed, Checklist.Of(reading).Clients.Single(l => l.Item == CheckItem.ClientDiscovery).State);
        // The engine's own v2 status says the same: the client error is not a federation warning either.
        Assert.Equal(Reports.VerdictStatus.Works, reading.Report.Verdict.Status);
    }

    [Fact]
    public async Task A_missing_support_file_is_a_note_and_clients_still_work()
    {
        await ReadingLab.NoSupportFileAsync(Lab);
        var reading = await ReadAsync("example.test");
        Assert.Equal(FederationState.Works, reading.Federation.State);
        Assert.Equal(new ClientsVerdict(ClientsState.Works, 0, 0, SupportState.NotPublished), reading.Clients);
        var support = Checklist.Of(reading).Clients.Single(l => l.Item == CheckItem.Support);
        Assert.Equal((CheckState.Note, "none published (optional)"), (support.State, support.Text));
    }

    [Fact]
    public async Task A_run_past_its_time_limit_is_incomplete_names_what_was_pending_and_fails_nothing_it_did_not_reach()
    {
        await ReadingLab.TricklingWellKnownAsync(Lab);
        var reading = await ReadAsync("example.test", o => (o.OverallDeadline, o.RequestTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)));
        Assert.True(reading.Run == RunOutcome.TimedOut, string.Join("\n", reading.Report.Findings.Select(f => $"{f.Id}: {f.Summary}")));
        Assert.Equal(new FederationVerdict(FederationState.Incomplete, 0, 0, FamilyState.NotChecked, FamilyState.NotChecked, false), reading.Federation);
        Assert.Equal(ClientsState.Incomplete, reading.Clients.State);
        Assert.Equal(SupportState.NotChecked, reading.Clients.Support);
        Assert.Equal([new PendingStep(PendingKind.Discovery, "example.test"), new PendingStep(PendingKind.ClientFiles, "example.test")], reading.Pending);
        var line = VerdictWords.Line(reading);
        Assert.StartsWith("The test stopped at its time limit (2 s) while waiting for server discovery for example.test", line, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot find an address", line, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot find an address", reading.Report.Verdict.Summary, StringComparison.Ordinal);
        var checklist = Checklist.Of(reading);
        Assert.DoesNotContain(checklist.All, l => l.State == CheckState.Failed);
        Assert.Equal(
            [(CheckItem.ServerName, CheckState.Passed), (CheckItem.Discovery, CheckState.Incomplete), (CheckItem.TimeLimit, CheckState.Incomplete),
             (CheckItem.ClientDiscovery, CheckState.Incomplete), (CheckItem.Support, CheckState.NotTested)],
            checklist.All.Select(l => (l.Item, l.State)));
        Assert.Equal("incomplete", VerdictWords.Badge(reading.Federation.State));
    }

    [Fact]
    public async Task An_invalid_name_is_not_checked_rather_than_broken()
    {
        var reading = await ReadAsync("https://example.test");
        Assert.Equal(RunOutcome.InvalidInput, reading.Run);
        Assert.Equal(new FederationVerdict(FederationState.NotChecked, 0, 0, FamilyState.NotChecked, FamilyState.NotChecked, false), reading.Federation);
        Assert.Equal(ClientsState.NotChecked, reading.Clients.State);
        Assert.Equal([(CheckItem.ServerName, CheckState.Failed), (CheckItem.Discovery, CheckState.NotTested)], Checklist.Of(reading).All.Select(l => (l.Item, l.State)));
        Assert.DoesNotContain(VerdictWords.Chips(reading), c => c.Key == "clients");
    }

    [Fact]
    public async Task An_expired_certificate_is_broken_and_counted_once()
    {
        await ReadingLab.ExpiredCertificateAsync(Lab);
        var reading = await ReadAsync("example.test");
        Assert.Equal(FederationState.Broken, reading.Federation.State);
        Assert.Equal(reading.Report.Findings.Count(f => f.Severity == Severity.Error && f.PartOf() == ReportPart.Federation), reading.Federation.Errors);
        Assert.Contains(reading.Report.Findings, f => f.Id == "tls.cert.expired");
        Assert.Equal(FamilyState.Broken, reading.Federation.IPv4);
        var certificate = Checklist.Of(reading).Addresses.Single().Checks.Single(c => c.Item == CheckItem.Certificate);
        Assert.Equal(CheckState.Failed, certificate.State);
        // The client API is on the same host, behind the same certificate: clients fail too, on their own line.
        Assert.Equal(ClientsState.Broken, reading.Clients.State);
    }

    [Theory]
    [InlineData("client.base_url_unreachable", ReportPart.Clients)]
    [InlineData("support.not_found", ReportPart.Clients)]
    [InlineData("twoway.outbound_blocked", ReportPart.TwoWay)]
    [InlineData("diagnosis.timed_out", ReportPart.Run)]
    [InlineData("server_name.invalid", ReportPart.Run)]
    [InlineData("server_name.upper_case", ReportPart.Federation)]
    [InlineData("tls.cert.expired", ReportPart.Federation)]
    [InlineData("wellknown.not_found", ReportPart.Federation)]
    public void Every_finding_id_is_filed_under_one_verdict(string id, ReportPart part) => Assert.Equal(part, FindingParts.Of(id));
}
