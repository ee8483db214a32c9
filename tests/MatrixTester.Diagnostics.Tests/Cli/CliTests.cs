using System.Text.Json;
using MatrixTester.Cli;
using MatrixTester.Lab;
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
        Assert.Contains("Verdict: Federation works.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_says_the_two_way_check_needs_the_site()
    {
        await new LabServer(Lab).StartAsync();
        var (code, output, _) = await Run(LabArgs("example.test"));
        Assert.Equal(0, code);
        Assert.Contains("[twoway.not_configured]", output, StringComparison.Ordinal);
        Assert.Contains("Two-way check: not run. It needs the web site", output, StringComparison.Ordinal);
        Assert.Contains("/docs/two-way#not-configured", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_says_the_call_token_check_needs_the_site()
    {
        await new LabServer(Lab).StartAsync();
        var (code, output, _) = await Run(LabArgs("example.test"));
        Assert.Equal(0, code);
        Assert.Contains("Call token check: not run. It needs the web site", output, StringComparison.Ordinal);
        Assert.Contains("/docs/calls-token-check", output, StringComparison.Ordinal);
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
        // A listed key that does not sign: Synapse federates, the Go tester's checks fail (issue 10, rule 5).
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
    [InlineData("check a.example b.example")]
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
    public async Task An_invalid_server_name_exits_1_and_explains()
    {
        var (code, output, _) = await Run(LabArgs("https://example.test"));
        Assert.Equal(1, code);
        Assert.Contains("[server_name.invalid]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_controlled_text_cannot_send_terminal_escapes()
    {
        Assert.Equal("\\u001b[2Jhello\\u0007", VisibleText.Escape("\u001b[2Jhello\u0007"));
        Assert.Equal("a\\u202eb", VisibleText.Escape("a\u202eb"));
        Assert.Equal("m.server\\u000d\\u000aERR forged", VisibleText.Escape("m.server\r\nERR forged"));
    }
}
