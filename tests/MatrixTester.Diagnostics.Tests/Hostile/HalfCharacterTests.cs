using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;

namespace MatrixTester.Diagnostics.Tests.Hostile;

/// <summary>
/// Escapes of half a UTF-16 surrogate pair (<c>"\ud800"</c>) in every JSON response the engine reads. Each is a
/// finding about that response, judged as a peer would; none stops the diagnosis as a defect of the tester.
/// </summary>
public sealed class HalfCharacterTests : LabTest
{
    private const string Lone = "\\ud800";

    [Fact]
    public async Task In_the_version_response_it_is_a_warning_and_the_name_shows_the_replacement_character()
    {
        var server = await new LabServer(Lab)
        {
            Homeserver = r => r.Json("/_matrix/federation/v1/version", $$$"""{"server": {"name": "Syn{{{Lone}}}apse", "version": "1.0"}}"""),
        }.StartAsync();

        var run = await Lab.DiagnoseAsync(server.ServerName);

        AssertNoDefect(run);
        Assert.Equal(Severity.Warning, run.Finding("version.lone_surrogate").Severity);
        Assert.Equal("Syn\uFFFDapse", Assert.Single(run.Report.Connections).Version!.Name);
        Assert.Equal(Reports.VerdictStatus.WorksWithWarnings, run.Report.Verdict.Status);
    }

    [Fact]
    public async Task In_m_server_peers_ignore_the_delegation_as_for_a_non_ascii_name()
    {
        var server = await new LabServer(Lab)
        {
            WebServer = r => r.WellKnown($$$"""{"m.server": "matrix{{{Lone}}}.example.test:443"}"""),
        }.StartAsync();

        var run = await Lab.DiagnoseAsync(server.ServerName);

        AssertNoDefect(run);
        var finding = run.Finding("wellknown.m_server_non_ascii");
        Assert.Contains("matrix\uFFFD.example.test:443", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("half a surrogate pair", finding.Detail, StringComparison.Ordinal);
        // Like Synapse, discovery goes on without the delegation: to port 8448 of the server name.
        var endpoint = Assert.Single(run.Report.Discovery!.Endpoints);
        Assert.Equal((server.WebAddress, 8448), (endpoint.Address, endpoint.Port));
    }

    [Fact]
    public async Task Elsewhere_in_the_server_well_known_it_does_not_matter()
    {
        var server = await new LabServer(Lab)
        {
            WebServer = r => r.WellKnown($$$"""{"m.server": "matrix.example.test:443", "note": "{{{Lone}}}"}"""),
        }.StartAsync();

        var run = await Lab.DiagnoseAsync(server.ServerName);

        AssertNoDefect(run);
        Assert.Equal(Reports.VerdictStatus.Works, run.Report.Verdict.Status);
    }

    [Fact]
    public async Task In_the_client_and_support_files_it_is_a_client_side_warning_each()
    {
        var server = await new LabServer(Lab)
        {
            WebServer = r => r
                .Json("/.well-known/matrix/client", $$$"""{"m.homeserver": {"base_url": "https://matrix.example.test"}, "m.identity_server": {"base_url": "https://id{{{Lone}}}.example.test"}}""")
                .Json("/.well-known/matrix/support", $$$"""{"contacts": [{"role": "m.role.admin", "email_address": "ad{{{Lone}}}min@example.test"}]}"""),
        }.StartAsync();

        var run = await Lab.DiagnoseAsync(server.ServerName);

        AssertNoDefect(run);
        Assert.True(run.Has("client.lone_surrogate"), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.True(run.Has("support.lone_surrogate"), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.Equal("https://id\uFFFD.example.test", run.Report.Client!.IdentityServerBaseUrl);
        Assert.Equal("ad\uFFFDmin@example.test", Assert.Single(run.Report.Client.SupportContacts).EmailAddress);
    }

    [Fact]
    public async Task In_the_key_response_the_signature_cannot_be_checked()
    {
        var server = await new LabServer(Lab) { KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1))[..^1] + $$$""","note":"{{{Lone}}}"}""" }.StartAsync();

        var run = await Lab.DiagnoseAsync(server.ServerName);

        AssertNoDefect(run);
        Assert.Equal(Severity.Error, run.Finding("keys.invalid_utf8").Severity);
        Assert.Equal(Reports.VerdictStatus.Broken, run.Report.Verdict.Status);
    }

    private static void AssertNoDefect(LabRun run)
    {
        Assert.False(run.Has("diagnosis.internal_error"), run.Has("diagnosis.internal_error") ? run.Finding("diagnosis.internal_error").Detail : "");
        Assert.False(run.Report.TimedOut);
    }
}
