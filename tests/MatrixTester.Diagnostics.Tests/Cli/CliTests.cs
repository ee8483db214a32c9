using System.Text.Json;
using MatrixTester.Cli;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Diagnostics.Tests.Connections;

namespace MatrixTester.Diagnostics.Tests.Cli;

public sealed class CliTests : LabTest
{
    private string[] LabArgs(string serverName, params string[] extra) =>
        ["check", serverName, "--name-server", Lab.Dns.EndPoint.ToString(), "--trust-roots", FederationLab.RootPemPath, "--allow-private", .. extra];

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_working_server_exits_0_and_shows_each_step_with_its_timing()
    {
        await new LabServer(Lab).StartAsync();
        var (code, output, _) = await Run(LabArgs("example.test"));
        Assert.Equal(0, code);
        Assert.Matches(@"\[\s*\d+ ms\] . server-name\s+example.test is a valid server name", output);
        Assert.Matches(@"\[\s*\d+ ms\] . well-known\s+/.well-known/matrix/server delegates to matrix.example.test:443", output);
        Assert.Matches(@"\[\s*\d+ ms\] . connection\s+127\.\d+\.\d+\.\d+:443: all federation checks passed", output);
        Assert.Contains("step 3.2", output, StringComparison.Ordinal);
        Assert.Contains("Federation works for example.test: 0 errors, 0 warnings.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_says_the_two_way_check_needs_the_site()
    {
        await new LabServer(Lab).StartAsync();
        var (code, output, _) = await Run(LabArgs("example.test"));
        Assert.Equal(0, code);
        Assert.Contains("[twoway.not_configured]", output, StringComparison.Ordinal);
        Assert.Contains("Two-way: not run. It needs the web site", output, StringComparison.Ordinal);
        // The step that did not run is not marked passed.
        Assert.Matches(@"ms\] · two-way\s", output);
        Assert.DoesNotMatch(@"✓ two-way", output);
        Assert.Contains("/docs/two-way#not-configured", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_shows_calls_and_login_as_verdicts_of_their_own()
    {
        await new MatrixTester.Lab.Calls.LabCallsServer(Lab, "calls.example.test") { ServiceFault = MatrixTester.Lab.Calls.RtcServiceFault.DuplicatedCors }.StartAsync();
        var (code, output, _) = await Run(LabArgs("calls.example.test"));
        Assert.Equal(0, code);
        Assert.Matches(@"ms\] ✗ calls\s+Calls are broken: the transports endpoint lists the call transports", output);
        Assert.Matches(@"ms\] ✓ login\s+Login uses OAuth 2.0 \(next-generation auth\) with the issuer https://auth.calls.example.test/", output);
        Assert.Contains("[rtc.service_cors]", output, StringComparison.Ordinal);
        Assert.Contains("Federation works for calls.example.test: 0 errors, 0 warnings.", output, StringComparison.Ordinal);
        Assert.Contains("\nCalls: broken (1 error, 0 warnings; its own verdict).\n  Calls are broken: ", output, StringComparison.Ordinal);
        Assert.Contains("\nLogin: OIDC (0 errors, 0 warnings; its own verdict).\n  Login uses OAuth 2.0", output, StringComparison.Ordinal);
        Assert.Matches(@"✗ Failed\s+Calls \(MatrixRTC\): The call authorization service at https://rtc\.calls\.example\.test/livekit/jwt ", output);
        Assert.Contains("[rtc.service_cors] (calls)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_says_the_call_token_check_needs_the_site()
    {
        await new MatrixTester.Lab.Calls.LabCallsServer(Lab, "calls.example.test").StartAsync();
        var (code, output, _) = await Run(LabArgs("calls.example.test"));
        Assert.Equal(0, code);
        Assert.Contains("Call token check: not run. It needs the web site", output, StringComparison.Ordinal);
        Assert.Contains("/docs/calls#token-check", output, StringComparison.Ordinal);
        Assert.DoesNotContain("NotConfigured", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_server_exits_1_with_findings_grouped_by_address()
    {
        await new LabServer(Lab) { Certificate = pki => pki.IssueExpired("matrix.example.test") }.StartAsync();
        var (code, output, _) = await Run(LabArgs("example.test"));
        Assert.Equal(1, code);
        Assert.Matches(@"\n  127\.\d+\.\d+\.\d+:443\n    ERROR", output);
        Assert.Contains("[tls.cert.expired]", output, StringComparison.Ordinal);
        Assert.Contains("Docs: /docs/tls-certificates#expired", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Works_with_warnings_exits_0_even_when_the_Go_report_says_FederationOK_false()
    {
        // A listed key that does not sign: Synapse federates, the Go tester's checks fail (the engine README, "Judging a key response").
        await new LabServer(Lab)
        {
            KeyResponse = s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1), new Lab.Keys.KeyResponseOptions { ExtraUnsignedKeyId = "ed25519:unsigned" }),
        }.StartAsync();
        var (code, output, _) = await Run(LabArgs("example.test"));
        Assert.Equal(0, code);
        Assert.Contains("(FederationOK: false", output, StringComparison.Ordinal);
        Assert.Contains("Federation works, with", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_the_v2_report()
    {
        await new LabServer(Lab).StartAsync();
        var (code, output, _) = await Run(LabArgs("example.test", "--json"));
        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(2, document.RootElement.GetProperty("version").GetInt32());
        Assert.True(document.RootElement.GetProperty("verdict").GetProperty("federationOk").GetBoolean());
    }

    [Fact]
    public async Task Go_output_is_the_compatible_report()
    {
        await new LabServer(Lab).StartAsync();
        var (_, output, _) = await Run(LabArgs("example.test", "--format", "go"));
        using var document = JsonDocument.Parse(output);
        Assert.True(document.RootElement.GetProperty("FederationOK").GetBoolean());
        Assert.Equal("matrix.example.test:443", document.RootElement.GetProperty("WellKnownResult").GetProperty("m.server").GetString());
        Assert.Single(document.RootElement.GetProperty("ConnectionReports").EnumerateObject());
    }

    [Theory]
    [InlineData("")]
    [InlineData("check")]
    [InlineData("frobnicate example.org")]
    [InlineData("check example.org --format xml")]
    [InlineData("check example.org --bogus")]
    [InlineData("check example.org --deadline 0")]
    [InlineData("check example.org --name-server not-an-ip")]
    public async Task Bad_usage_exits_2_with_a_message(string commandLine)
    {
        var (code, output, error) = await Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, code);
        Assert.NotEqual("", error.Trim());
        Assert.Equal("", output);
    }

    [Fact]
    public async Task An_invalid_server_name_is_a_usage_error_that_explains_itself()
    {
        var (code, output, error) = await Run(LabArgs("https://example.test"));
        Assert.Equal(2, code);
        Assert.Contains("[server_name.invalid]", output, StringComparison.Ordinal);
        Assert.Contains("Not checked: not a server name for https://example.test", output, StringComparison.Ordinal);
        Assert.StartsWith("'https://example.test' is not a server name", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_without_a_name_says_the_name_is_missing()
    {
        var (code, output, error) = await Run("check", "--allow-private");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("A server name is missing", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("check --help")]
    [InlineData("check example.org -h")]
    public async Task Help_is_asked_for_so_it_goes_to_standard_output_and_succeeds(string commandLine)
    {
        var (code, output, error) = await Run(commandLine.Split(' '));
        Assert.Equal(0, code);
        Assert.StartsWith("Usage: matrix-tester check <server_name>", output, StringComparison.Ordinal);
        Assert.Contains("Exit status: 0 federation works", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("check --version")]
    public async Task Version_prints_the_engine_version(string commandLine)
    {
        var (code, output, _) = await Run(commandLine.Split(' '));
        Assert.Equal(0, code);
        Assert.Equal($"matrix-tester {DiagnosisOptions.EngineVersion}", output.Trim());
        Assert.Matches(@"^matrix-tester \d+\.\d+\.\d+$", output.Trim());
    }

    [Theory]
    [InlineData("--name-server", "not-an-ip", "--name-server 'not-an-ip' is not valid: it must be an IP address")]
    [InlineData("--name-server", "192.0.2.1:99999", "--name-server '192.0.2.1:99999' is not valid: the port must be")]
    [InlineData("--trust-roots", "/nonexistent/roots.pem", "--trust-roots: cannot read trusted roots from '/nonexistent/roots.pem'")]
    public async Task A_bad_option_value_is_named_as_the_user_typed_it(string option, string value, string message)
    {
        var (code, _, error) = await Run("check", "example.org", option, value);
        Assert.Equal(2, code);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Diagnosis:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_past_its_time_limit_exits_3_and_says_it_did_not_finish()
    {
        await Reading.ReadingLab.TricklingWellKnownAsync(Lab);
        var (code, output, _) = await Run(LabArgs("example.test", "--deadline", "2"));
        Assert.Equal(3, code);
        Assert.Contains("Federation test incomplete for example.test: 0 errors, 0 warnings.", output, StringComparison.Ordinal);
        Assert.Contains("The test stopped at its time limit (2 s) while waiting for server discovery for example.test", output, StringComparison.Ordinal);
        Assert.Contains("Clients: not finished", output, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot find an address", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verdicts_are_printed_apart_and_a_client_problem_leaves_federation_working()
    {
        await new LabServer(Lab) { WebServer = r => r.ClientWellKnown("https://matrix.example.test:1") }.StartAsync();
        var (code, output, _) = await Run(LabArgs("example.test"));
        Assert.Equal(0, code);
        Assert.Contains("Federation works for example.test: 0 errors, 0 warnings.", output, StringComparison.Ordinal);
        Assert.Contains("Clients: broken (1 error, 0 warnings; their own verdict).", output, StringComparison.Ordinal);
        Assert.Matches(@"✗ Failed\s+Client discovery \(\.well-known/matrix/client\): ", output);
        Assert.Contains("[client.base_url_unreachable] (for clients)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_controlled_text_cannot_send_terminal_escapes()
    {
        Assert.Equal("\\u001b[2Jhello\\u0007", VisibleText.Escape("\u001b[2Jhello\u0007"));
        Assert.Equal("a\\u202eb", VisibleText.Escape("a\u202eb"));
        Assert.Equal("m.server\\u000d\\u000aERR forged", VisibleText.Escape("m.server\r\nERR forged"));
    }
}
